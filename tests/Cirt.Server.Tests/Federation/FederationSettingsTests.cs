using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>What the federation settings allow: bad ones stop the server at start; the Memory profile keeps its identity in memory.</summary>
public sealed class FederationSettingsTests
{
    [Theory]
    [InlineData("--Cirt:Federation:InstanceId", "Cirt FR")]
    [InlineData("--Cirt:Federation:Country", "fr")]
    [InlineData("--Cirt:Federation:PublicUrl", "cirt.example.fr")]
    [InlineData("--Cirt:Federation:Delivery:Retries", "-1")]
    [InlineData("--Cirt:Federation:Delivery:MaxRequeueDelay", "00:00:00.001")]
    public void AServerWithBadFederationSettingsDoesNotStart(string key, string value)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(["--Cirt:Storage", "Memory", key, value]));

        Assert.Contains(key.Split(':')[^1], refused.Message);
    }

    [Fact]
    public async Task TheMemoryProfileHasAnIdentityAndLeavesNoKeyFileBehind()
    {
        var server = new ServerFixture { Storage = "Memory", ExtraArguments = ["--Cirt:Federation:PublicUrl", "https://cirt.example.fr:5080"] };
        await server.InitializeAsync();
        try
        {
            var identity = await server.Partners().GetLocalIdentityAsync(new GetLocalIdentityRequest());

            Assert.Equal(("cirt-local", "XX", "https://cirt.example.fr:5080"), (identity.InstanceId, identity.Country, identity.EndpointUrl));
            Assert.Equal(64, identity.Fingerprint.Length);
            Assert.False(File.Exists(Path.Combine(server.DataDirectory, "federation-signing-key.pem")));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
