using Cirt.Grains.Incidents;
using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The cluster profile's pending-projection marks: table projection_pending
/// (deploy/sql/postgresql/210-projection-pending.sql), beside the read model that clears them
/// (<see cref="PostgresIncidentQueue"/>). Ages are measured on the database's clock.
/// </summary>
public sealed class PostgresProjectionMarks(PostgresDatabase database) : IProjectionMarks
{
    public async Task MarkAsync(string trackingId, long version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO projection_pending (tracking_id, version) VALUES (@id, @version)
            ON CONFLICT (tracking_id, version) DO UPDATE SET marked_at = now();
            """, connection);
        command.Parameters.AddWithValue("id", trackingId);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ClearUnstoredAsync(string trackingId, long storedVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM projection_pending WHERE tracking_id = @id AND version > @stored;", connection);
        command.Parameters.AddWithValue("id", trackingId);
        command.Parameters.AddWithValue("stored", storedVersion);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> StrandedAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT tracking_id FROM (
                SELECT tracking_id FROM projection_pending WHERE marked_at < now() - @olderThan ORDER BY marked_at LIMIT @limit) AS oldest;
            """, connection);
        command.Parameters.AddWithValue("olderThan", olderThan);
        command.Parameters.AddWithValue("limit", limit);
        var stranded = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stranded.Add(reader.GetString(0));
        }

        return stranded;
    }
}
