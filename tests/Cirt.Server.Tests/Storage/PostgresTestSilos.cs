using Cirt.Server.Storage;
using Cirt.Tests;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// A fresh PostgreSQL database with the cluster schema applied, and as many silos' connections to it
/// as a test asks for (<see cref="Open"/>: each its own pool, as separate server processes have);
/// disposing closes them and drops the database.
/// </summary>
public sealed class PostgresTestSilos : IAsyncDisposable
{
    private readonly ClusterServices.TestDatabase _database;
    private readonly List<PostgresDatabase> _opened = [];

    private PostgresTestSilos(ClusterServices.TestDatabase database) => _database = database;

    public string ConnectionString => _database.ConnectionString;

    public static async Task<PostgresTestSilos> CreateAsync(string prefix) => new(await ClusterServices.CreateDatabaseAsync(prefix));

    /// <summary>One silo's connection to the database, the schema applied as a starting silo applies it.</summary>
    public PostgresDatabase Open()
    {
        var database = PostgresDatabase.Open(ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
        _opened.Add(database);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        await _database.DisposeAsync();
    }
}
