using System.Net.Sockets;
using Npgsql;

namespace Cirt.Tests;

/// <summary>
/// PostgreSQL and Azurite for the cluster profile's tests, as deploy/local-services.sh runs them
/// (tests/run.sh starts both). The connection strings come from ConnectionStrings__Postgres and
/// ConnectionStrings__AzureStorage when set, else the script's defaults. Each test takes a database
/// and names of its own (<see cref="CreateDatabaseAsync"/>, <see cref="UniqueName"/>), so runs and
/// tests never see each other's data. A service that is not running fails the test saying how to
/// start it: never a skip.
/// </summary>
public static class ClusterServices
{
    private const string HowTo =
        "Start PostgreSQL and Azurite with `deploy/local-services.sh start` (tests/run.sh does it, installing them when missing), " +
        "or point ConnectionStrings__Postgres and ConnectionStrings__AzureStorage at your own.";

    /// <summary>The server-level connection string (database postgres): for creating and dropping test databases.</summary>
    public static string PostgresServer { get; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";

    /// <summary>The Azure Storage connection string of Azurite (its published development account).</summary>
    public static string AzureStorage { get; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__AzureStorage") is { Length: > 0 } configured
            ? configured
            : "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
              "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
              "BlobEndpoint=http://127.0.0.1:10010/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10011/devstoreaccount1;" +
              "TableEndpoint=http://127.0.0.1:10012/devstoreaccount1;";

    /// <summary>A name no other test or run uses: lower-case letters and digits, starting with <paramref name="prefix"/> (letters only), at most 40 characters: valid as a database, table or container name.</summary>
    public static string UniqueName(string prefix) => (prefix + Guid.NewGuid().ToString("N"))[..Math.Min(40, prefix.Length + 32)];

    /// <summary>A new, empty database, dropped (with whatever is connected to it) when the result is disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix = "cirttest")
    {
        var name = UniqueName(prefix);
        await using (var connection = await OpenServerAsync())
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ToString());
    }

    /// <summary>Fails, saying how to start it, unless Azurite answers on its table and blob ports.</summary>
    public static async Task EnsureAzuriteAsync()
    {
        foreach (var endpoint in new[] { "TableEndpoint", "BlobEndpoint" })
        {
            var uri = new Uri(AzureStorage.Split(';').Single(part => part.StartsWith(endpoint + "=", StringComparison.Ordinal))[(endpoint.Length + 1)..]);
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(uri.Host, uri.Port).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                throw new InvalidOperationException($"Azurite is not answering at {uri.Host}:{uri.Port} ({endpoint}): {ex.Message}. {HowTo}", ex);
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(PostgresServer);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            var target = new NpgsqlConnectionStringBuilder(PostgresServer);
            throw new InvalidOperationException($"PostgreSQL is not answering at {target.Host}:{target.Port}: {ex.Message}. {HowTo}", ex);
        }
    }

    /// <summary>A database of one test: <see cref="ConnectionString"/> reaches it; disposing drops it.</summary>
    public sealed class TestDatabase(string name, string connectionString) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public string ConnectionString { get; } = connectionString;

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = await OpenServerAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
