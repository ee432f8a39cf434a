using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// A PostgreSQL session advisory lock: one holder across every silo of the cluster, held until
/// disposed, or until the holder's connection drops (a silo killed while holding it frees it).
/// </summary>
public sealed class PostgresAdvisoryLock : IAsyncDisposable
{
    /// <summary>The lock around issuing the bootstrap coordinator key (<see cref="Security.KeyBootstrapService"/>).</summary>
    public const long BootstrapKey = 0x43_69_72_74_00_00_03_01; // "Cirt" 3.1

    /// <summary>The lock around loading the seeds (<see cref="Seeding.SeedingService"/>): silos starting together load them one after another.</summary>
    public const long Seeds = 0x43_69_72_74_00_00_03_02; // "Cirt" 3.2

    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private PostgresAdvisoryLock(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    /// <summary>Waits until no other session holds <paramref name="key"/>, then holds it.</summary>
    public static async Task<PostgresAdvisoryLock> TakeAsync(PostgresDatabase database, long key, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key);", connection);
            take.Parameters.AddWithValue("key", key);
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresAdvisoryLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", _connection);
            release.Parameters.AddWithValue("key", _key);
            await release.ExecuteNonQueryAsync();
        }
        finally
        {
            // Closing the session frees the lock in any case; the pool resets the session it keeps.
            await _connection.DisposeAsync();
        }
    }
}
