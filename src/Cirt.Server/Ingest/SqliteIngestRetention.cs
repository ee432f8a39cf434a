using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// Retention in the embedded profile's ingest files. The log's file has one writer at a time, and
/// producers wait for its group commits: at most <see cref="RetentionOptions.BatchRows"/> rows are
/// deleted per transaction, so that a commit waits at most that long behind it. The log goes from
/// its oldest end only, never a batch the aggregator has not applied (recorded in ingest-state.db),
/// whatever its age; nor the newest batch, whose position the next batch follows (a log emptied
/// entirely would hand out positions again from 1, below what the aggregator already applied).
/// Free pages beyond a quarter of each file go back to the file system (<see cref="IncrementalVacuum"/>);
/// the rest are reused by the next inserts: the files level off at about what the retention holds.
/// </summary>
public sealed class SqliteIngestRetention(IngestDatabase database, SqliteIngestStateStore state, IOptions<RetentionOptions> options) : IIngestRetentionStore
{
    /// <summary>
    /// Pages given back per transaction (1 MiB at SQLite's default page size): moving pages writes
    /// them, and the log's group commit waits for each step.
    /// </summary>
    private const int VacuumStep = 256;

    private readonly IngestDatabase _database = database;
    private readonly SqliteIngestStateStore _state = state;
    private readonly RetentionOptions _options = options.Value;

    public async Task<PruneTotals> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long logBatches, unmatched, resendRuns, pages = 0;
        await using (var state = await OpenAsync(_database.State, cancellationToken))
        {
            unmatched = await DeleteInBatchesAsync(state, """
                DELETE FROM ingest_unmatched
                WHERE id IN (SELECT id FROM ingest_unmatched ORDER BY id LIMIT $rows) AND received_at < $before;
                """, Before(now, _options.Unmatched), null, cancellationToken);
            resendRuns = await DeleteInBatchesAsync(state, """
                DELETE FROM ingest_key_run
                WHERE id IN (SELECT id FROM ingest_key_run ORDER BY id LIMIT $rows) AND written_at < $before;
                """, Before(now, _options.ResendKeys), null, cancellationToken);
            pages += await IncrementalVacuum.ReclaimAsync(state, VacuumStep, cancellationToken);
        }

        await using (var log = await OpenAsync(_database.Log, cancellationToken))
        {
            await _database.Pruning.WaitAsync(cancellationToken);
            try
            {
                var applied = await _state.AppliedSeqAsync(cancellationToken); // nothing after it may go
                logBatches = await DeleteInBatchesAsync(log, """
                    DELETE FROM ingest_batch
                    WHERE seq IN (SELECT seq FROM ingest_batch
                                  WHERE seq <= $applied AND seq < (SELECT max(seq) FROM ingest_batch)
                                  ORDER BY seq LIMIT $rows)
                      AND received_at < $before;
                    """, Before(now, _options.IngestLog), applied, cancellationToken);
            }
            finally
            {
                _database.Pruning.Release();
            }

            pages += await IncrementalVacuum.ReclaimAsync(log, VacuumStep, cancellationToken);
        }

        return new PruneTotals(logBatches, unmatched, resendRuns, pages);
    }

    /// <summary>A connection that waits for the file's writer with SQLite's own short sleeps (Microsoft.Data.Sqlite's are 150 ms).</summary>
    private static async Task<SqliteConnection> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        await using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 30000;";
        await busy.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> in short transactions of at most BatchRows rows until it deletes nothing more.</summary>
    private async Task<long> DeleteInBatchesAsync(SqliteConnection connection, string sql, long before, long? applied, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            int rows;
            // BEGIN IMMEDIATE: takes the file's writer first, so the delete never reads a snapshot it then cannot write.
            await using (var transaction = connection.BeginTransaction())
            {
                await using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = sql;
                delete.Parameters.AddWithValue("$rows", _options.BatchRows);
                delete.Parameters.AddWithValue("$before", before);
                if (applied is { } seq)
                {
                    delete.Parameters.AddWithValue("$applied", seq);
                }

                rows = await delete.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            deleted += rows;
            if (rows == 0)
            {
                return deleted;
            }
        }
    }

    private static long Before(DateTimeOffset now, TimeSpan retention) => (now - retention).ToUnixTimeMilliseconds();
}
