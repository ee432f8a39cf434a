using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cirt.Tests;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// A Cirt cluster of real server processes in the cluster profile (Cirt:Storage=Cluster): a
/// PostgreSQL database and Azure Storage names (on Azurite) of its own, each silo with its own data
/// folder and ports, every silo configured with the same coordinator key. A silo can be killed
/// (kill -9) and started again; all can be stopped (SIGTERM) and started again. Disposing kills
/// whatever still runs and removes the database, the tables, the blob container and the folders.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly ClusterServices.TestDatabase _database;
    private readonly string _directory;
    private readonly ServerProcess[] _silos;
    private bool _started;

    private ClusterProcesses(int silos, ClusterServices.TestDatabase database, IReadOnlyDictionary<string, string> settings)
    {
        _database = database;
        // One name for the cluster, its service and every Azure name it uses: cleanup removes what starts with it.
        Name = ClusterServices.UniqueName("cirte2e");
        _directory = Path.Combine(Path.GetTempPath(), Name);
        CoordinatorKey = NewApiKey();
        _silos = new ServerProcess[silos];
        for (var i = 0; i < silos; i++)
        {
            var silo = new ServerProcess(Path.Combine(_directory, $"silo{i}"), LoopbackPorts.Next());
            silo.Settings["Cirt__Storage"] = "Cluster";
            silo.Settings["ConnectionStrings__Postgres"] = database.ConnectionString;
            silo.Settings["ConnectionStrings__AzureStorage"] = ClusterServices.AzureStorage;
            silo.Settings["Cirt__ClusterId"] = Name;
            silo.Settings["Cirt__ServiceId"] = Name;
            silo.Settings["Cirt__Cluster__MembershipTable"] = Name + "members";
            silo.Settings["Cirt__Cluster__GrainStateTable"] = Name + "state";
            silo.Settings["Cirt__Cluster__ReminderTable"] = Name + "reminders";
            silo.Settings["Cirt__Cluster__GrainStateContainer"] = Name + "-state";
            silo.Settings["Cirt__Security__BootstrapKey"] = CoordinatorKey;
            foreach (var (name, value) in settings)
            {
                silo.Settings[name] = value;
            }

            _silos[i] = silo;
        }
    }

    /// <summary>The cluster's ClusterId and ServiceId, and the stem of its tables and container.</summary>
    public string Name { get; }

    /// <summary>The coordinator key every silo was configured with (Cirt:Security:BootstrapKey).</summary>
    public string CoordinatorKey { get; }

    /// <summary>The key id part of <see cref="CoordinatorKey"/>.</summary>
    public string CoordinatorKeyId => CoordinatorKey.Split('_')[1];

    public IReadOnlyList<ServerProcess> Silos => _silos;

    /// <summary>Every silo's gRPC address, known before the first start and kept across restarts.</summary>
    public IReadOnlyList<string> Addresses => [.. _silos.Select(s => s.Url)];

    /// <summary>
    /// A cluster of <paramref name="silos"/> silos, not started yet, with <paramref name="settings"/>
    /// (environment variables, e.g. Cirt__Deadlines__CheckPeriod) on every silo. Fails, saying how to
    /// start them, when PostgreSQL or Azurite does not answer.
    /// </summary>
    public static async Task<ClusterProcesses> CreateAsync(int silos, IReadOnlyDictionary<string, string> settings)
    {
        await ClusterServices.EnsureAzuriteAsync();
        var database = await ClusterServices.CreateDatabaseAsync("cirte2e");
        return new ClusterProcesses(silos, database, settings);
    }

    /// <summary>
    /// Starts every silo that is not running, and returns when each serves gRPC. The first start of
    /// a new cluster starts one silo first, as an operator does: it creates the schema, the seeds and
    /// the configured key, which silos starting at the same moment would race to create. Later
    /// starts start every silo at once.
    /// </summary>
    public async Task StartAllAsync()
    {
        if (!_started)
        {
            await Task.Run(_silos[0].Start);
            _started = true;
        }

        await Task.WhenAll(_silos.Where(s => !s.IsRunning).Select(s => Task.Run(s.Start)));
    }

    /// <summary>Starts silo <paramref name="silo"/> again (after <see cref="Kill"/>), on the same gRPC address.</summary>
    public Task StartAsync(int silo) => Task.Run(_silos[silo].Start);

    /// <summary>kill -9 of silo <paramref name="silo"/>: no shutdown, no goodbye to the cluster.</summary>
    public void Kill(int silo) => _silos[silo].Kill();

    /// <summary>
    /// Whether the cluster has declared silo <paramref name="silo"/> (as of its latest start) dead:
    /// its row in the membership table says so, which the other silos act on (they move its grains
    /// and reminders).
    /// </summary>
    public async Task<bool> IsDeclaredDeadAsync(int silo)
    {
        var port = _silos[silo].SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var members = new TableClient(ClusterServices.AzureStorage, Name + "members");
        await foreach (var row in members.QueryAsync<TableEntity>($"PartitionKey eq '{Name}'"))
        {
            if (row.TryGetValue("Port", out var rowPort) && Convert.ToString(rowPort, System.Globalization.CultureInfo.InvariantCulture) == port
                && row.TryGetValue("Status", out var status) && Convert.ToString(status, System.Globalization.CultureInfo.InvariantCulture) == "Dead")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stops every silo (SIGTERM), all at once, and returns when each has exited.</summary>
    public Task StopAllAsync() => Task.WhenAll(_silos.Select(s => Task.Run(s.Stop)));

    /// <summary>
    /// Writes what every silo wrote to a file of its own (silo0.log, ...) in a folder under the
    /// system's temporary folder that outlives the cluster, and returns the folder: for failures.
    /// </summary>
    public string SaveOutput()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cirt-cluster-logs", Name);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < _silos.Length; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"silo{i}.log"), _silos[i].Output);
        }

        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Kill();
        }

        try
        {
            await RemoveAzureStorageAsync();
        }
        finally
        {
            await _database.DisposeAsync();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    /// <summary>Removes every table and blob container whose name starts with the cluster's name.</summary>
    private async Task RemoveAzureStorageAsync()
    {
        var tables = new TableServiceClient(ClusterServices.AzureStorage);
        await foreach (var table in tables.QueryAsync($"TableName ge '{Name}' and TableName lt '{Name}~'"))
        {
            await tables.DeleteTableAsync(table.Name);
        }

        var blobs = new BlobServiceClient(ClusterServices.AzureStorage);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: Name))
        {
            await blobs.DeleteBlobContainerAsync(container.Name);
        }
    }

    /// <summary>A new coordinator key in the shape the server takes for Cirt:Security:BootstrapKey: "cirt_" + 16 hex digits + "_" + 43 base64url characters.</summary>
    private static string NewApiKey()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new StringBuilder("cirt_").Append(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))).Append('_').Append(secret).ToString();
    }
}
