namespace Cirt.EndToEnd.Tests;

/// <summary>
/// The server as an operator starts it, with a mistake in its settings: it exits with code 2 and
/// one line naming the setting and the rule, no stack trace, and leaves no data folder behind.
/// </summary>
public sealed class HardenedStartTests
{
    [Theory]
    [InlineData("Cirt__Security__PermitsPerSecond", "-5", "cirt: Cirt:Security:PermitsPerSecond must be at least 1 (it is -5).")]
    [InlineData("ASPNETCORE_URLS", "http://0.0.0.0:5099", "cirt: Refusing to serve plain HTTP on http://0.0.0.0:5099")]
    [InlineData("Cirt__Deadlines__TriageCritical", "00:00:00", "cirt: Cirt:Deadlines:TriageCritical must be longer than zero (it is 00:00:00).")]
    public void ABadSettingStopsTheServerWithOneLineAndNothingCreated(string variable, string value, string expected)
    {
        var data = Path.Combine(Path.GetTempPath(), "cirt-e2e-refused-" + Guid.NewGuid().ToString("N"));
        var server = new ServerProcess(data);
        server.Settings[variable] = value;

        var (exitCode, output) = server.RunUntilExit();

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "a server that refused to start created its data folder");
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS", "urls (--urls, ASPNETCORE_URLS)")]
    [InlineData("Cirt__Http__Url", "Cirt:Http:Url")]
    [InlineData("Cirt__Metrics__Url", "Cirt:Metrics:Url")]
    public void AnAddressAlreadyInUseStopsTheServerWithOneLineAndNothingCreated(string variable, string setting)
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var taken = $"http://127.0.0.1:{((System.Net.IPEndPoint)holder.LocalEndpoint).Port}";
        var data = Path.Combine(Path.GetTempPath(), "cirt-e2e-port-" + Guid.NewGuid().ToString("N"));
        var server = new ServerProcess(data);
        server.Settings[variable] = taken;

        var (exitCode, output) = server.RunUntilExit();

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"cirt: {setting}: {taken} is already in use by another program. Stop it, or choose another address.", line);
        Assert.False(Directory.Exists(data), "a server that refused to start created its data folder");
    }

    [Fact]
    public void AnOrleansPortAlreadyInUseStopsTheServerWithOneLine()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var data = Path.Combine(Path.GetTempPath(), "cirt-e2e-port-" + Guid.NewGuid().ToString("N"));
        var server = new ServerProcess(data);
        server.Settings["Cirt__SiloPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, output) = server.RunUntilExit();

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"cirt: Cirt:SiloPort: port {port} on 127.0.0.1 is already in use", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "a server that refused to start created its data folder");
    }
}
