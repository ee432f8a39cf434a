using System.Diagnostics;

namespace Cirt.Server.Tests.Hosting;

/// <summary>
/// deploy/container/cirt-health, the probe the Kubernetes manifests run in the pod, against a real
/// server on loopback: it says SERVING (exit 0) for readiness and for cirt.liveness, and exit 1 for
/// a health service the server does not have.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HealthProbeTests(ServerFixture server)
{
    [Theory]
    [InlineData(null)]
    [InlineData(Cirt.Server.Extensions.GrpcExtensions.LivenessService)]
    public async Task TheProbeSaysServingForTheServersHealthServices(string? service)
    {
        var (exitCode, output) = await ProbeAsync(server.Address, service);

        Assert.True(exitCode == 0, $"cirt-health {service} exited with {exitCode}: {output}");
    }

    [Fact]
    public async Task TheProbeFailsForAServiceTheServerDoesNotHave()
    {
        var (exitCode, output) = await ProbeAsync(server.Address, "cirt.nosuch");

        Assert.Equal(1, exitCode);
        Assert.Contains("cirt.nosuch is not SERVING", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProbeFailsWhenNothingListens()
    {
        var (exitCode, output) = await ProbeAsync("http://127.0.0.1:1", null);

        Assert.Equal(1, exitCode);
        Assert.Contains("readiness is not SERVING at http://127.0.0.1:1 (answer: none)", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> ProbeAsync(string url, string? service)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(DeployFiles.Path("container", "cirt-health"));
        if (service is not null)
        {
            info.ArgumentList.Add(service);
        }

        info.Environment["CIRT_HEALTH_URL"] = url;
        using var probe = Process.Start(info)!;
        var stdout = probe.StandardOutput.ReadToEndAsync();
        var stderr = probe.StandardError.ReadToEndAsync();
        await probe.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (probe.ExitCode, await stdout + await stderr);
    }
}
