namespace Cirt.Server.Ingest;

/// <summary>The configuration section "Cirt:Ingest".</summary>
public sealed class IngestOptions
{
    public const string Section = "Cirt:Ingest";

    /// <summary>Events per batch at most.</summary>
    public int MaxBatchEvents { get; set; } = 5_000;

    /// <summary>Batches waiting for the disk at most; beyond, producers wait (flow control).</summary>
    public int QueueCapacity { get; set; } = 64;

    /// <summary>How long a producer may wait for room before RESOURCE_EXHAUSTED.</summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Batches committed together at most (one fsync).</summary>
    public int MaxGroupBatches { get; set; } = 256;

    /// <summary>An event repeating the same feed, type and target within this window counts as a duplicate.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Distinct feed/type/target combinations the duplicate window remembers at most (about 30 bytes
    /// each): a bound on memory whatever the feeds send. A target is forgotten only after at least
    /// half this many others were seen after it; its next event then counts as new. The window
    /// survives restarts: each pass records its changes to it (16 bytes each), and the disk holds at
    /// most about twice this many.
    /// </summary>
    public int DuplicateWindowTargets { get; set; } = 4_000_000;

    /// <summary>
    /// Stored events whose keys (producer and producer_event_id) the server remembers to recognise a
    /// resend, in memory (about 20 bytes each, reserved up front) and on disk: an event resent while
    /// fewer than half this many events were stored after it is recognised and stored nothing twice;
    /// resent later, it is stored again, as a new event. Must be at least twice the largest pass.
    /// </summary>
    public int ResendWindowEvents { get; set; } = 8_000_000;

    /// <summary>
    /// Events the aggregator reads and decodes at a time. Small on purpose: decoded events are
    /// garbage a moment later and die young, where a large chunk would outlive a few collections
    /// and be promoted, leaving the old generation fragmented (measured: peak memory 1.45 GB with
    /// 200,000, 0.86 GB with 5,000 over 3 million events).
    /// </summary>
    public int AggregationPassEvents { get; set; } = 10_000;

    /// <summary>
    /// Events gathered into one pass before the incidents are written and the pass recorded: the
    /// more, the fewer incident writes per event (memory holds the pass's new event keys and
    /// unmatched events, encoded, not the events themselves). Measured over 10 million events:
    /// 102k events/s end to end with 1 million, 142k/s with 2 million.
    /// </summary>
    public long AggregationFlushEvents { get; set; } = 2_000_000;

    /// <summary>
    /// How long a pass gathers the log before its incidents are written and it is recorded, unless it
    /// reaches AggregationFlushEvents first: at a low rate, how long an event waits at most before
    /// its incident counts it (plus the writing), and how often each active incident is rewritten.
    /// </summary>
    public TimeSpan AggregationFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Cluster profile: how long the aggregation lease lasts unrenewed (renewed every third of it).
    /// When the silo that aggregates dies, another takes aggregation over within this long; a silo
    /// cut off from PostgreSQL for this long stops aggregating.
    /// </summary>
    public TimeSpan AggregationLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(MaxBatchEvents), (long)MaxBatchEvents), (nameof(QueueCapacity), QueueCapacity), (nameof(MaxGroupBatches), MaxGroupBatches),
                     (nameof(AggregationPassEvents), AggregationPassEvents), (nameof(AggregationFlushEvents), AggregationFlushEvents),
                 })
        {
            if (value < 1)
            {
                yield return $"{Section}:{name} must be at least 1 (it is {value}).";
            }
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(EnqueueTimeout), EnqueueTimeout), (nameof(DuplicateWindow), DuplicateWindow), (nameof(AggregationFlushInterval), AggregationFlushInterval),
                     (nameof(AggregationLease), AggregationLease),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name} must be longer than zero (it is {value}).";
            }
        }

        if (DuplicateWindowTargets < 2)
        {
            yield return $"{Section}:{nameof(DuplicateWindowTargets)} must be at least 2 (it is {DuplicateWindowTargets}).";
        }

        var largestPass = 2 * (AggregationFlushEvents + AggregationPassEvents + MaxBatchEvents);
        if (ResendWindowEvents < largestPass)
        {
            yield return $"{Section}:{nameof(ResendWindowEvents)} must be at least twice the largest pass, " +
                         $"2 x ({nameof(AggregationFlushEvents)} + {nameof(AggregationPassEvents)} + {nameof(MaxBatchEvents)}) = {largestPass} " +
                         $"(it is {ResendWindowEvents}): a pass's keys join one half of the window whole.";
        }
    }
}
