using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cirt.Grains.Common;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// Deletes, while the server runs, what the ingest stores hold beyond its retention
/// (<see cref="RetentionOptions"/>): batches of the ingest log, unmatched events and resend runs,
/// through the profile's <see cref="IIngestRetentionStore"/>; in the cluster only on the silo that
/// holds the aggregation lease. Counts shown by GetIngestStats live in ingest_feed_stats and are
/// not touched.
/// </summary>
public sealed class IngestPruner : BackgroundService
{
    private readonly IIngestRetentionStore _store;
    private readonly IAggregationLease _lease;
    private readonly CirtClock _clock;
    private readonly RetentionOptions _options;
    private readonly ILogger<IngestPruner> _logger;
    private readonly Counter<long> _pruned;
    private long _lastPassAt;
    private long _passes;
    private int _failures;

    public IngestPruner(IIngestRetentionStore store, IAggregationLease lease, CirtClock clock, IOptions<RetentionOptions> options, IMeterFactory meters, ILogger<IngestPruner> logger)
    {
        (_store, _lease, _clock, _options, _logger) = (store, lease, clock, options.Value, logger);
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
                if (!_lease.Held)
                {
                    continue; // another silo aggregates, and prunes
                }

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
        var (logBatches, unmatched, resendRuns, pages) = await _store.PruneAsync(_clock.GetUtcNow(), cancellationToken);
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
}
