namespace Cirt.Server.Tests.Security;

public sealed class TransportSecurityTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5099")]
    [InlineData("http://192.0.2.10:5099")]
    public void PlainHttpOffLoopbackIsRefusedAtStart(string url)
    {
        var ex = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(["--urls", url, "--Cirt:Storage", "Memory"]));

        Assert.Contains("Refusing to serve plain HTTP", ex.Message);
    }
}
