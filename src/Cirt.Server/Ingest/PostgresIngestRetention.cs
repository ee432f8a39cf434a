using Cirt.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cirt.Server.Ingest;

/// <summary>
/// Retention in the cluster's PostgreSQL ingest tables, at most <see cref="RetentionOptions.BatchRows"/>
/// rows per transaction (appends of every silo go on beside it). The log goes from its oldest end
/// only and never a batch the aggregator has not applied (ingest_progress), whatever its age;
/// positions come from ingest_log_head, so the log may be emptied entirely. PostgreSQL's autovacuum
/// reuses the space.
/// </summary>
public sealed class PostgresIngestRetention(PostgresDatabase database, IOptions<RetentionOptions> options) : IIngestRetentionStore
{
    public async Task<PruneTotals> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var retention = options.Value;
        await using var connection = await database.OpenAsync(cancellationToken);
        var unmatched = await DeleteInBatchesAsync(connection, """
            DELETE FROM ingest_unmatched
            WHERE id IN (SELECT id FROM ingest_unmatched ORDER BY id LIMIT @rows) AND received_at < @before;
            """, Before(now, retention.Unmatched), cancellationToken);
        var resendRuns = await DeleteInBatchesAsync(connection, """
            DELETE FROM ingest_key_run
            WHERE id IN (SELECT id FROM ingest_key_run ORDER BY id LIMIT @rows) AND written_at < @before;
            """, Before(now, retention.ResendKeys), cancellationToken);
        var logBatches = await DeleteInBatchesAsync(connection, """
            DELETE FROM ingest_batch
            WHERE seq IN (SELECT seq FROM ingest_batch
                          WHERE seq <= (SELECT aggregated_seq FROM ingest_progress WHERE id = 1)
                          ORDER BY seq LIMIT @rows)
              AND received_at < @before;
            """, Before(now, retention.IngestLog), cancellationToken);
        return new PruneTotals(logBatches, unmatched, resendRuns, 0);
    }

    /// <summary>Runs <paramref name="sql"/>, each run its own transaction of at most BatchRows rows, until it deletes nothing more.</summary>
    private async Task<long> DeleteInBatchesAsync(NpgsqlConnection connection, string sql, long before, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand(sql, connection);
        delete.Parameters.AddWithValue("rows", options.Value.BatchRows);
        delete.Parameters.AddWithValue("before", before);
        long deleted = 0;
        while (await delete.ExecuteNonQueryAsync(cancellationToken) is var rows and > 0)
        {
            deleted += rows;
        }

        return deleted;
    }

    private static long Before(DateTimeOffset now, TimeSpan retention) => (now - retention).ToUnixTimeMilliseconds();
}
