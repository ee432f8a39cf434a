using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Server.Storage;
using Cirt.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// Reads the ingest log in order, behind the acknowledgements, in passes: each pass classifies the
/// events it gathers (<see cref="IngestPass"/>), updates their incidents (idempotent by log
/// position), then records its results, its changes to the resend and duplicate windows and its
/// position in one transaction (<see cref="IngestStateStore"/>): after a crash it resumes where it
/// stopped, with both windows as they were, and counts nothing twice. While a pass writes its
/// incidents, <see cref="Running"/> says how far it is (GetIngestStats shows it); once it is
/// recorded, one line at Information says what it came to.
/// </summary>
public sealed class IngestAggregator(
    IngestLog log,
    IIngestStateStore store,
    IAggregationLease lease,
    ConstituencyIndexProvider routing,
    IGrainFactory grains,
    IOptions<IngestOptions> options,
    IngestMeter meter,
    IMeterFactory meters,
    CirtClock clock,
    ILogger<IngestAggregator> logger) : BackgroundService
{

    private readonly SemaphoreSlim _work = new(0);
    private DuplicateWindow _duplicates = null!;
    private ResendWindow _resends = null!;
    private PassBuffers _buffers = null!;
    private long _aggregatedSeq;
    private long _gatheredSeq;
    private RunningPass? _running;
    private long _lastLargePassAt;

    /// <summary>The log position up to which events are aggregated and recorded.</summary>
    public long AggregatedSeq => Volatile.Read(ref _aggregatedSeq);

    /// <summary>The log position up to which events are read and classified (the pass under way included).</summary>
    public long GatheredSeq => Volatile.Read(ref _gatheredSeq);

    /// <summary>A pass that writes at least this many incidents counts as large (<see cref="LastLargePassAt"/>).</summary>
    public const int LargePassIncidents = 1_000;

    /// <summary>When the last pass that wrote at least <see cref="LargePassIncidents"/> incidents was recorded, or null when none was since the start.</summary>
    public DateTimeOffset? LastLargePassAt => Volatile.Read(ref _lastLargePassAt) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The pass writing its incidents now, or null between passes.</summary>
    public RunningPass? Running => Volatile.Read(ref _running);

    /// <summary>
    /// Called before each incident of a pass is written, on the writing thread: lets a test hold a
    /// pass midway and watch what the service shows meanwhile. Null (the default): nothing is called.
    /// </summary>
    public Func<EventAggregate, CancellationToken, Task>? BeforeIncidentWrite { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.Committed += Signal;
        meters.Create(IngestMeter.MeterName).CreateObservableGauge(
            "cirt.ingest.aggregation_backlog", () => Math.Max(0, log.CommittedSeq - AggregatedSeq),
            unit: "{batch}", description: "Acknowledged batches not yet aggregated into incidents");
        while (!stoppingToken.IsCancellationRequested)
        {
            // Embedded, at once and for good; in the cluster, once this silo holds the lease, until it loses it.
            var lost = await lease.AcquireAsync(stoppingToken);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
            try
            {
                await AggregateAsync(term.Token);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (ex is IngestFencedException || lost.IsCancellationRequested))
            {
                // Whatever the pass under way did is either recorded or not at all: the next holder
                // resumes from the state in the database, and redoes a marked pass over the same range.
                logger.LogWarning("Ingest aggregation stopped on this silo after log position {Seq}: another silo holds the lease now", AggregatedSeq);
                Volatile.Write(ref _running, null);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && lease is not SoleAggregator)
            {
                // In the cluster, a failure outside a pass's retries (PostgreSQL unreachable while
                // loading the state): give the lease up for another silo, and become a candidate again.
                logger.LogError(ex, "Ingest aggregation failed on this silo after log position {Seq}; it gives the lease up and tries again", AggregatedSeq);
                Volatile.Write(ref _running, null);
                await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        log.Committed -= Signal;
        await base.StopAsync(cancellationToken);
        await lease.ReleaseAsync(cancellationToken);
    }

    /// <summary>
    /// One term of aggregation: the windows loaded from the recorded state, then pass after pass
    /// until stopped (or, in the cluster, until the lease is lost or a write of the state is fenced off).
    /// </summary>
    private async Task AggregateAsync(CancellationToken stoppingToken)
    {
        _duplicates = new DuplicateWindow(options.Value.DuplicateWindow, options.Value.DuplicateWindowTargets);
        _resends = new ResendWindow(options.Value.ResendWindowEvents);
        _buffers = new PassBuffers();
        var resumed = await store.LoadAsync(_resends, _duplicates, stoppingToken);
        logger.LogInformation(
            "Ingest aggregation resumes after log position {Seq}: {Keys} event keys in the resend window (generation {Generation}), {Targets} targets in the duplicate window",
            resumed.AggregatedSeq, _resends.Count, _resends.Generation, _duplicates.Count);
        (_aggregatedSeq, _gatheredSeq) = (resumed.AggregatedSeq, resumed.AggregatedSeq);
        var (resumeUpTo, targetsOnDisk) = (resumed.PendingSeq, resumed.TargetsOnDisk);
        // Passes are pipelined: the next pass is worked out (CPU) while the previous one is written
        // (disk). The pass in flight is not in the resend window yet: its keys are checked apart.
        PassRecord? inFlight = null;
        var applying = Task.CompletedTask;
        var poll = log.PollInterval ?? Timeout.InfiniteTimeSpan;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Gather several chunks of the log into one pass: each pass writes every incident it
                // touches once, so the fewer passes, the fewer writes per event. A pass gathers for the
                // whole interval even when it has read everything there is: at a low rate, passes that
                // ended as soon as the log was read would follow each other without a pause, each one
                // writing every incident it touches for a handful of events.
                var upToAtMost = resumeUpTo > GatheredSeq ? resumeUpTo : long.MaxValue;
                resumeUpTo = 0;
                var pass = _buffers.NewPass(GatheredSeq, inFlight?.Fresh);
                var gathering = Stopwatch.StartNew();
                while (pass.Events < options.Value.AggregationFlushEvents && gathering.Elapsed < options.Value.AggregationFlushInterval)
                {
                    var batches = await log.ReadAsync(pass.UpTo, upToAtMost, options.Value.AggregationPassEvents, stoppingToken);
                    if (batches.Count == 0)
                    {
                        var left = options.Value.AggregationFlushInterval - gathering.Elapsed;
                        if (pass.Batches == 0 || pass.UpTo == upToAtMost || left <= TimeSpan.Zero)
                        {
                            break;
                        }

                        // Other silos' commits signal nothing here: look again at least every poll interval.
                        await _work.WaitAsync(poll == Timeout.InfiniteTimeSpan || left < poll ? left : poll, stoppingToken);
                        continue;
                    }

                    pass.Add(DecodedBatch.DecodeAll(batches, stoppingToken), await routing.CurrentAsync(stoppingToken), _resends, _duplicates);
                    Volatile.Write(ref _gatheredSeq, pass.UpTo);
                }

                if (pass.Batches == 0)
                {
                    _buffers.Return(pass.Fresh);
                    if (inFlight is not null)
                    {
                        await applying;
                        Applied(inFlight);
                        inFlight = null;
                        continue;
                    }

                    await _work.WaitAsync(poll == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(1) : poll, stoppingToken);
                    continue;
                }

                var computed = gathering.Elapsed;
                if (inFlight is not null)
                {
                    await applying;
                    Applied(inFlight);
                }

                var record = pass.Build(_resends.Place(pass.Fresh.Count), _duplicates, targetsOnDisk, _buffers.Sightings());
                targetsOnDisk = record.TargetsOnDisk;
                inFlight = record;
                var (batchCount, eventCount) = (pass.Batches, pass.Events);
                applying = Task.Run(() => ApplyUntilDoneAsync(record, batchCount, eventCount, computed, stoppingToken), stoppingToken);
            }

            await applying;
        }
        finally
        {
            // A pass still being written ends (fenced off or cancelled) before another term can start.
            await applying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Updates the pass's incidents and records it, until that succeeds: recomputing it would see its
    /// own events in the duplicate window a second time.
    /// </summary>
    private async Task ApplyUntilDoneAsync(PassRecord pass, int batches, long events, TimeSpan computed, CancellationToken stoppingToken)
    {
        var running = new RunningPass(pass.UpTo, events, pass.Aggregates.Length, clock.GetUtcNow());
        Volatile.Write(ref _running, running);
        var started = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            using var activity = CirtActivities.Source.StartActivity("ingest aggregation pass");
            activity?.SetTag("cirt.ingest.events", events);
            activity?.SetTag("cirt.ingest.incidents", pass.Aggregates.Length);
            activity?.SetTag("cirt.ingest.attempt", attempt);
            try
            {
                var applying = Stopwatch.StartNew();
                await store.MarkPendingAsync(pass.UpTo, stoppingToken);
                // The incidents (grain storage) and the pass's record (the ingest state) are written
                // at the same time; the record commits only once every incident is updated.
                running.Restart();
                var incidents = WriteIncidentsAsync(pass.Aggregates, running, stoppingToken);
                try
                {
                    await store.RecordAsync(pass, incidents, stoppingToken);
                }
                finally
                {
                    await ((Task)incidents).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                Volatile.Write(ref _aggregatedSeq, pass.UpTo);
                Volatile.Write(ref _running, null);
                if (pass.Aggregates.Length >= LargePassIncidents)
                {
                    Volatile.Write(ref _lastLargePassAt, clock.GetUtcNow().ToUnixTimeMilliseconds());
                }
                meter.Aggregated(pass.Totals.Values);
                logger.LogInformation(
                    "Ingest pass up to log position {Seq}: {Events} events ({Stored} stored, {Unmatched} unmatched), {IncidentsOpened} incidents opened and {IncidentsUpdated} updated in {DurationMs} ms",
                    pass.UpTo, events, pass.Totals.Values.Sum(t => t.Stored), pass.Totals.Values.Sum(t => t.Unmatched), running.Opened, running.Updated,
                    (long)(computed + started.Elapsed).TotalMilliseconds);
                logger.LogDebug(
                    "Aggregated {Events} events of {Batches} batches up to {Seq}: worked out in {ComputeMs} ms, {Incidents} incidents written in {IncidentsMs} ms, the record in {ApplyMs} ms",
                    events, batches, pass.UpTo, (long)computed.TotalMilliseconds, pass.Aggregates.Length, (long)(await incidents).TotalMilliseconds, applying.ElapsedMilliseconds);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not IngestFencedException)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                if (!StorageFull.Is(ex))
                {
                    logger.LogError(ex, "Ingest aggregation of log positions {From}-{To} failed (attempt {Attempt}); retrying",
                        AggregatedSeq + 1, pass.UpTo, attempt);
                }
                else if (attempt == 1)
                {
                    // The writes that failed told StorageHealth, which logs the full disk once and then a line a minute.
                    logger.LogWarning("Ingest aggregation of log positions {From}-{To} waits for free space; it retries until it succeeds",
                        AggregatedSeq + 1, pass.UpTo);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Many incidents at once: their writes queue for the file's writer anyway, and the more wait
    /// together, the larger the read model's group commits. Returns how long they took.
    /// </summary>
    private async Task<TimeSpan> WriteIncidentsAsync(EventAggregate[] aggregates, RunningPass running, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var hook = BeforeIncidentWrite;
        await Parallel.ForEachAsync(aggregates, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (aggregate, token) =>
            {
                if (hook is not null)
                {
                    await hook(aggregate, token);
                }

                var applied = await grains.GetGrain<IEventAggregateGrain>(aggregate.Key).ApplyAsync(aggregate);
                running.Written(applied.Opened);
            });
        return started.Elapsed;
    }

    /// <summary>Once a pass is on disk its keys join the resend window (only the loop reads and writes it).</summary>
    private void Applied(PassRecord pass)
    {
        _resends.Add(pass.Placement, pass.Fresh);
        _buffers.Return(pass.Fresh);
        _buffers.Return(pass.Sightings, pass.SightingsReplaceRuns);
    }

    private void Signal()
    {
        if (_work.CurrentCount == 0)
        {
            _work.Release();
        }
    }
}
