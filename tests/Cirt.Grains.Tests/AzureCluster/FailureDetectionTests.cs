using System.Diagnostics;
using Azure.Data.Tables;
using Cirt.Tests;
using Xunit.Abstractions;

namespace Cirt.Grains.Tests.AzureCluster;

/// <summary>
/// How long the cluster profile takes to declare a killed silo dead (docs/cluster.md, "Membership and
/// failure detection"): three silo processes on Azurite, one of them killed with SIGKILL, timed until
/// the survivors have written it dead into the membership table.
/// </summary>
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    /// <summary>What the timings promise with room for a loaded machine: three 2 s probes, a vote, a table write.</summary>
    private static readonly TimeSpan Promised = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ASiloKilledOutrightIsDeclaredDeadByTheSurvivorsWithinTwentySeconds()
    {
        await using var names = await AzureClusterNames.CreateAsync();
        var members = names.Table(names.Cluster.MembershipTable);
        await members.CreateIfNotExistsAsync();
        var silos = Enumerable.Range(0, 3).Select(_ => SiloProcess.Start(names)).ToList();
        try
        {
            await ClusterWait.UntilAsync(() => RowsAsync(members, names.ClusterId), rows => rows.Count(r => r.Status == "Active") == 3,
                TimeSpan.FromSeconds(90), "The three silos did not all become active within 90 s.");

            var victim = silos[0];
            var clock = Stopwatch.StartNew();
            victim.Process.Kill(); // SIGKILL: no goodbye, no membership update of its own
            await ClusterWait.UntilAsync(() => RowsAsync(members, names.ClusterId), rows => rows.Any(r => r.Port == victim.SiloPort && r.Status == "Dead"),
                TimeSpan.FromSeconds(90), "The killed silo was not declared dead within 90 s.");
            clock.Stop();

            output.WriteLine($"Declared dead {clock.Elapsed.TotalSeconds:F1} s after kill -9.");
            Assert.True(clock.Elapsed < Promised, $"Declared dead after {clock.Elapsed.TotalSeconds:F1} s.");
            var survivors = await RowsAsync(members, names.ClusterId);
            Assert.Equal(2, survivors.Count(r => r.Status == "Active"));
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
        }
    }

    private static async Task<List<(int Port, string Status)>> RowsAsync(TableClient members, string clusterId)
    {
        var rows = new List<(int, string)>();
        await foreach (var row in members.QueryAsync<TableEntity>(r => r.PartitionKey == clusterId))
        {
            // The version row has no silo address: only silo rows count.
            if (row.GetString("Status") is { } status && int.TryParse(row.GetString("Port"), out var port))
            {
                rows.Add((port, status));
            }
        }

        return rows;
    }

    /// <summary>A tests/Cirt.ClusterSilo process of <paramref name="names"/>' cluster.</summary>
    private sealed class SiloProcess(Process process, int siloPort) : IDisposable
    {
        public Process Process { get; } = process;

        public int SiloPort { get; } = siloPort;

        public static SiloProcess Start(AzureClusterNames names)
        {
            var options = names.SiloOptions();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cirt.ClusterSilo.dll")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ConnectionStrings__AzureStorage"] = ClusterServices.AzureStorage;
            start.Environment["Cirt__ClusterId"] = options.ClusterId;
            start.Environment["Cirt__ServiceId"] = options.ServiceId;
            start.Environment["Cirt__SiloPort"] = options.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Cirt__GatewayPort"] = options.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Cirt__Cluster__MembershipTable"] = options.Cluster.MembershipTable;
            start.Environment["Cirt__Cluster__AdvertisedAddress"] = options.Cluster.AdvertisedAddress;
            start.Environment["Cirt__Cluster__ListenAddress"] = options.Cluster.ListenAddress;
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Cirt.ClusterSilo.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new SiloProcess(process, options.SiloPort);
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}
