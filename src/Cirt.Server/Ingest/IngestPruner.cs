using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cirt.Grains.Common;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// Deletes, while the server runs, what the ingest files hold beyond its retention
/// (<see cref="RetentionOptions"/>): batches of the ingest log, unmatched events and resend runs.
/// <para>
/// The log's file has one writer at a time, and producers wait for its group commits: the pruner
/// deletes at most <see cref="RetentionOptions.BatchRows"/> rows per transaction, so that a commit
/// waits at most that long behind it. It takes the log from its oldest end only, and never a batch
/// the aggregator has not applied (recorded in ingest-state.db), whatever its age; nor the newest
/// batch, whose position the next batch follows (a log emptied entirely would hand out positions
/// again from 1, below what the aggregator already applied). Counts shown by GetIngestStats live in
/// ingest_feed_stats and are not touched.
/// </para>
/// <para>
/// Free pages beyond a quarter of each file go back to the file system (<see cref="IncrementalVacuum"/>);
/// the rest are reused by the next inserts: the files level off at about what the retention holds.
/// </para>
/// </summary>
public sealed class IngestPruner : BackgroundService
{
    /// <summary>
    /// Pages given back per transaction (1 MiB at SQLite's default page size): moving pages writes
    /// them, and the log's group commit waits for each step.
    /// </summary>
    private const int VacuumStep = 256;

    private readonly IngestDatabase _database;
    private readonly IngestStateStore _state;
    private readonly CirtClock _clock;
    private readonly RetentionOptions _options;
    private readonly ILogger<IngestPruner> _logger;
    private readonly Counter<long> _pruned;
    private long _lastPassAt;
    private long _passes;
    private int _failures;

    public IngestPruner(IngestDatabase database, IngestStateStore state, CirtClock clock, IOptions<RetentionOptions> options, IMeterFactory meters, ILogger<IngestPruner> logger)
    {
        (_database, _state, _clock, _options, _logger) = (database, state, clock, options.Value, logger);
        var meter = meters.Create(IngestMeter.MeterName);
        _pruned = meter.CreateCounter<long>("cirt.ingest.rows_pruned", unit: "{row}",
            description: "Rows deleted by retention, by kind: ingest_log (batches), unmatched (events), resend_keys (runs of keys)");
        meter.CreateObservableGauge("cirt.ingest.last_prune_time", () => Volatile.Read(ref _lastPassAt), unit: "s",
            description: "When the last pruning pass ended (Unix time, business clock); 0 before the first");
    }

    /// <summary>Pruning passes completed since start.</summary>
    public long Passes => Volatile.Read(ref _passes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        try
        {
            do
            {
                try
                {
                    await PruneAsync(stoppingToken);
                    if (_failures > 0)
                    {
                        _logger.LogInformation("Ingest retention works again after {Failures} failed pass(es)", _failures);
                        _failures = 0;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Once per streak of failures (a full disk fails every pass the same way), then a count when it ends.
                    if (_failures++ == 0)
                    {
                        _logger.LogWarning(ex, "Ingest retention pass failed; tried again every {Interval}", _options.Interval);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: deletes what is older than its retention, gives space back, counts and logs it in one line.</summary>
    public async Task<PruneTotals> PruneAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var now = _clock.GetUtcNow();
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

        _pruned.Add(logBatches, new KeyValuePair<string, object?>("kind", "ingest_log"));
        _pruned.Add(unmatched, new KeyValuePair<string, object?>("kind", "unmatched"));
        _pruned.Add(resendRuns, new KeyValuePair<string, object?>("kind", "resend_keys"));
        Volatile.Write(ref _lastPassAt, _clock.GetUtcNow().ToUnixTimeSeconds());
        Interlocked.Increment(ref _passes);
        var level = logBatches + unmatched + resendRuns + pages > 0 ? LogLevel.Information : LogLevel.Debug;
        _logger.Log(level,
            "Ingest retention pruned {LogBatches} log batches, {Unmatched} unmatched events and {ResendRuns} resend key runs and gave back {Pages} free pages in {ElapsedMs} ms",
            logBatches, unmatched, resendRuns, pages, started.ElapsedMilliseconds);
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
