using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Npgsql;

namespace Cirt.Benchmarks.Ingest;

/// <summary>
/// The servers a benchmark run drives: one embedded server (a fresh temporary folder), or N silos
/// of the cluster profile as real server processes on loopback (a fresh PostgreSQL database,
/// ClusterId, Azure table and container names of their own, the services of
/// deploy/local-services.sh), or a running server named by URL. Disposing stops what it started and
/// removes what the run created.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    private readonly List<CirtProcess> _processes;
    private readonly Func<Task> _cleanUp;

    private BenchServers(List<CirtProcess> processes, IReadOnlyList<string> urls, string key, Func<Task> cleanUp)
    {
        (_processes, Urls, Key, _cleanUp) = (processes, urls, key, cleanUp);
    }

    /// <summary>Every server's gRPC address: streams and calls are spread over them.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>A coordinator key every server takes.</summary>
    public string Key { get; }

    /// <summary>The first server started, when this run started one (memory and disk figures are its).</summary>
    public CirtProcess? Primary => _processes.Count > 0 ? _processes[0] : null;

    public static BenchServers Embedded(int duplicateWindowTargets)
    {
        var server = CirtProcess.Start(CirtProcess.ServerDll(), duplicateWindowTargets);
        return new BenchServers([server], [server.Url], server.BootstrapKey, () => Task.CompletedTask);
    }

    public static BenchServers Running(string url, string key) => new([], [url], key, () => Task.CompletedTask);

    /// <summary>Starts <paramref name="silos"/> silos of the cluster profile, one after the other, each on its own ports and folder.</summary>
    public static async Task<BenchServers> ClusterAsync(int silos, int duplicateWindowTargets)
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";
        var azure = Environment.GetEnvironmentVariable("ConnectionStrings__AzureStorage")
                    ?? throw new InvalidOperationException("ConnectionStrings__AzureStorage is not set: eval \"$(deploy/local-services.sh env)\" first (deploy/local-services.sh start starts PostgreSQL and Azurite).");
        var run = "bench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var database = run;
        await ExecuteAsync(postgres, $"CREATE DATABASE {database};");
        var (membership, grainState, reminders, container) = (run + "members", run + "grains", run + "reminders", run + "-grains");
        async Task CleanUpAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE);");
            var tables = new TableServiceClient(azure);
            foreach (var table in new[] { membership, grainState, reminders })
            {
                await tables.DeleteTableAsync(table);
            }

            await new BlobServiceClient(azure).GetBlobContainerClient(container).DeleteIfExistsAsync();
        }

        var key = $"cirt_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        var settings = new Dictionary<string, string>
        {
            ["Cirt__Storage"] = "Cluster",
            ["Cirt__ClusterId"] = run,
            ["Cirt__ServiceId"] = run,
            ["ConnectionStrings__Postgres"] = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ToString(),
            ["ConnectionStrings__AzureStorage"] = azure,
            ["Cirt__Cluster__MembershipTable"] = membership,
            ["Cirt__Cluster__GrainStateTable"] = grainState,
            ["Cirt__Cluster__ReminderTable"] = reminders,
            ["Cirt__Cluster__GrainStateContainer"] = container,
            ["Cirt__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Cirt__Cluster__ListenAddress"] = "127.0.0.1",
            ["Cirt__Security__BootstrapKey"] = key,
            ["Cirt__Ingest__DuplicateWindowTargets"] = duplicateWindowTargets.ToString(CultureInfo.InvariantCulture),
        };
        var processes = new List<CirtProcess>();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                processes.Add(CirtProcess.Start(CirtProcess.ServerDll(), settings));
            }
        }
        catch
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }

            await CleanUpAsync();
            throw;
        }

        Console.WriteLine($"cluster: {silos} silo(s) at {string.Join(", ", processes.Select(p => p.Url))}, database {database}, ClusterId {run}");
        return new BenchServers(processes, processes.Select(p => p.Url).ToArray(), key, CleanUpAsync);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        await _cleanUp();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
