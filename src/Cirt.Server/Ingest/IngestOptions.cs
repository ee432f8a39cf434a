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

    /// <summary>Events the aggregator reads and works out at a time.</summary>
    public int AggregationPassEvents { get; set; } = 200_000;

    /// <summary>
    /// Events gathered into one pass before the incidents are written and the pass recorded: the
    /// more, the fewer incident writes per event (memory holds the pass's new event keys and
    /// unmatched events, not the events themselves).
    /// </summary>
    public long AggregationFlushEvents { get; set; } = 1_000_000;

    /// <summary>A pass is written at the latest this long after it started gathering.</summary>
    public TimeSpan AggregationFlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}
