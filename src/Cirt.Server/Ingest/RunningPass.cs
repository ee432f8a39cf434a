namespace Cirt.Server.Ingest;

/// <summary>
/// The aggregation pass writing its incidents now, as GetIngestStats shows it while it runs: its
/// events, and how many of its incidents are written so far (opened or updated). Counted from the
/// threads that write the incidents; read at any time.
/// </summary>
public sealed class RunningPass(long upTo, long events, int aggregates, DateTimeOffset startedAt)
{
    private long _opened;
    private long _updated;

    /// <summary>The log position the pass reaches.</summary>
    public long UpTo { get; } = upTo;

    /// <summary>The events the pass aggregates (stored, resent and unmatched alike).</summary>
    public long Events { get; } = events;

    /// <summary>The incidents (aggregates) the pass writes.</summary>
    public int Aggregates { get; } = aggregates;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Incidents this pass opened so far.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Incidents this pass updated so far.</summary>
    public long Updated => Interlocked.Read(ref _updated);

    /// <summary>Incidents written so far.</summary>
    public long Applied => Opened + Updated;

    /// <summary>Counts one incident written: opened by this pass or updated.</summary>
    public void Written(bool opened)
    {
        if (opened)
        {
            Interlocked.Increment(ref _opened);
        }
        else
        {
            Interlocked.Increment(ref _updated);
        }
    }

    /// <summary>Starts counting again (a retried attempt writes every incident again, idempotently).</summary>
    public void Restart()
    {
        Interlocked.Exchange(ref _opened, 0);
        Interlocked.Exchange(ref _updated, 0);
    }
}
