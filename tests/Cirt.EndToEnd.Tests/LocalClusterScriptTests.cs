using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cirt.Tests;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// deploy/local-cluster.sh as an operator runs it, on PostgreSQL and Azurite as
/// deploy/local-services.sh runs them (tests/run.sh starts both; a missing one fails the test
/// saying how to start it). Each test has its own folder, database, ClusterId, ServiceId and
/// ports (the script's environment settings), so it never meets a developer's cluster; the silos
/// run the server this build made (CIRT_SERVER_DLL) instead of publishing one.
/// </summary>
public sealed partial class LocalClusterScriptTests : IAsyncLifetime
{
    private static readonly string Script = Path.Combine(Binaries.RepositoryRoot, "deploy", "local-cluster.sh");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cirt-local-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly string _database = ClusterServices.UniqueName("cirtlocal");
    private readonly string _clusterId = ClusterServices.UniqueName("local");
    private readonly int _basePort = FreePortBlock(30);

    public Task InitializeAsync() => ClusterServices.EnsureAzuriteAsync();

    public async Task DisposeAsync()
    {
        // Whatever a test left running goes, then its database and folder (the shared services stay).
        Run("stop");
        await new ClusterServices.TestDatabase(_database, "").DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData]
    [InlineData("begin")]
    [InlineData("start", "three")]
    [InlineData("status", "now")]
    [InlineData("stop", "--silo")]
    public void AWrongCommandLineExitsWithTwoShowingTheUsage(params string[] args)
    {
        var (exitCode, output) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: ", output, StringComparison.Ordinal);
        Assert.Contains("start [N]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusWithoutSilosSaysSoAndExitsWithThree()
    {
        var (exitCode, output) = Run("status");

        Assert.Equal(3, exitCode);
        Assert.Contains($"No silos in {_folder}", output, StringComparison.Ordinal);
        Assert.Contains("PostgreSQL: running", output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void StartTwoGivesTwoSilosThatAnswerThenStatusShowsThemAndStopEndsThem()
    {
        var (started, startOutput) = Run("start", "2");
        Assert.True(started == 0, $"local-cluster.sh start 2 exited with {started}:\n{startOutput}\n{Logs()}");

        var first = $"http://127.0.0.1:{_basePort}";
        var second = $"http://127.0.0.1:{_basePort + 10}";
        Assert.Contains($"--server {first},{second}", startOutput, StringComparison.Ordinal);
        var keyFile = Path.Combine(_folder, "bootstrap-coordinator.key");
        Assert.Contains($"Coordinator key: {keyFile}", startOutput, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var key = File.ReadAllText(keyFile).Trim();
        Assert.Matches(KeyPattern(), key);

        // Both silos answer a signed-in call with the one key they share.
        foreach (var server in new[] { first, second })
        {
            var cli = new CirtCli(Path.Combine(_folder, $"cli-{Guid.NewGuid():N}.json"));
            var sectors = cli.Run("sectors", "list", "--server", server, "--key", key).Succeeded();
            Assert.Contains("ENERGY", sectors.Output, StringComparison.OrdinalIgnoreCase);
        }

        var (statusCode, status) = Run("status");
        Assert.Equal(0, statusCode);
        var pids = SiloLines().Matches(status).Select(m => (Silo: m.Groups[1].Value, Pid: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), State: m.Groups[4].Value)).ToArray();
        Assert.Equal(["1", "2"], pids.Select(p => p.Silo));
        Assert.All(pids, p => Assert.Equal("up", p.State));
        Assert.Contains($"gRPC {_basePort + 10}  HTTP {_basePort + 11}  metrics {_basePort + 12}  silo {_basePort + 13}  gateway {_basePort + 14}", status, StringComparison.Ordinal);

        var (stopped, stopOutput) = Run("stop");
        Assert.True(stopped == 0, stopOutput);
        Assert.All(pids, p => Assert.False(IsRunning(p.Pid), $"silo {p.Silo} (pid {p.Pid}) still runs after stop"));
        var (afterCode, after) = Run("status");
        Assert.Equal(3, afterCode);
        Assert.Equal(2, Regex.Matches(after, @"^silo \d: pid -  .* down$", RegexOptions.Multiline).Count);
        // The key stays: the next start uses the same one.
        Assert.Equal(key, File.ReadAllText(keyFile).Trim());
    }

    [Fact]
    public void AStartThatFailsSaysWhyAndLeavesNoSiloRunning()
    {
        // Silo 2's gRPC port is taken: it refuses to start, and the script stops what it started.
        using var taken = new TcpListener(IPAddress.Loopback, _basePort + 10);
        taken.Start();

        var (exitCode, output) = Run("start", "2");

        Assert.Equal(1, exitCode);
        Assert.Contains("exited during start", output, StringComparison.Ordinal);
        Assert.Contains("did not start", output, StringComparison.Ordinal);
        var (statusCode, status) = Run("status");
        Assert.Equal(3, statusCode);
        Assert.DoesNotContain(" up", status, StringComparison.Ordinal);
    }

    [Fact]
    public void StopAllAlsoStopsPostgreSqlAndAzurite()
    {
        // Services of this test's own (folder and ports), never the shared ones the other tests use.
        var services = new Dictionary<string, string>
        {
            ["CIRT_SERVICES_DIR"] = Path.Combine(_folder, "services"),
            ["CIRT_POSTGRES_PORT"] = $"{_basePort + 25}",
            ["CIRT_AZURITE_BLOB_PORT"] = $"{_basePort + 26}",
            ["CIRT_AZURITE_QUEUE_PORT"] = $"{_basePort + 27}",
            ["CIRT_AZURITE_TABLE_PORT"] = $"{_basePort + 28}",
        };
        var servicesScript = Path.Combine(Binaries.RepositoryRoot, "deploy", "local-services.sh");
        var (started, startOutput) = Run(services, servicesScript, "start");
        Assert.True(started == 0, startOutput);
        Assert.Equal(0, Run(services, servicesScript, "status").ExitCode);

        var (stopped, stopOutput) = Run(services, Script, "stop", "--all");

        Assert.True(stopped == 0, stopOutput);
        Assert.Contains("Stopped PostgreSQL and Azurite", stopOutput, StringComparison.Ordinal);
        var (statusCode, status) = Run(services, servicesScript, "status");
        Assert.Equal(1, statusCode);
        Assert.Contains("PostgreSQL: not running", status, StringComparison.Ordinal);
        Assert.Contains("Azurite: not running", status, StringComparison.Ordinal);
    }

    private (int ExitCode, string Output) Run(params string[] args) => Run(new Dictionary<string, string>(), Script, args);

    private (int ExitCode, string Output) Run(Dictionary<string, string> environment, string script, params string[] args)
    {
        var info = new ProcessStartInfo("bash", [script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["CIRT_CLUSTER_DIR"] = _folder;
        info.Environment["CIRT_CLUSTER_DATABASE"] = _database;
        info.Environment["CIRT_CLUSTER_ID"] = _clusterId;
        info.Environment["CIRT_SERVICE_ID"] = _clusterId;
        info.Environment["CIRT_CLUSTER_BASE_PORT"] = _basePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["CIRT_SERVER_DLL"] = Binaries.Server;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(script)} {string.Join(' ', args)} did not finish within 5 minutes:\n{stdout.Result}{stderr.Result}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private string Logs() =>
        string.Join("\n", Directory.Exists(_folder)
            ? Directory.GetFiles(_folder, "server.log", SearchOption.AllDirectories).Select(f => $"--- {f}\n{File.ReadAllText(f)}")
            : []);

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// <paramref name="count"/> ports in a row, free on loopback and taken from this process's
    /// <see cref="LoopbackPorts"/> block (so no other test here is handed one of them); the first is returned.
    /// </summary>
    private static int FreePortBlock(int count)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var first = LoopbackPorts.Next();
            var last = first;
            while (last - first < count - 1 && LoopbackPorts.Next() is var next && next == last + 1)
            {
                last = next;
            }

            if (last - first == count - 1)
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} free ports in a row on 127.0.0.1.");
    }

    [GeneratedRegex("^cirt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^silo (\d+): pid (\d+)  gRPC (\d+) .*  (up|down|starting or not answering|not serving.*)$", RegexOptions.Multiline)]
    private static partial Regex SiloLines();
}
