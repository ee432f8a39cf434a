using Cirt.Grains.Ingest;

namespace Cirt.Server.Ingest;

/// <summary>
/// What the aggregator made of the ingest log: where it got to, its pass records (resend runs,
/// duplicate-window runs, unmatched events, totals per feed), and the reads the stats and
/// unmatched-events RPCs make of them. Only the aggregator writes; any server reads. Embedded:
/// ingest-state.db (<see cref="SqliteIngestStateStore"/>); cluster: PostgreSQL, every write fenced
/// by the aggregation lease (<see cref="PostgresIngestStateStore"/>).
/// </summary>
public interface IIngestStateStore
{
    /// <summary>Where the aggregator resumes; fills the resend and duplicate windows from their runs.</summary>
    Task<IngestProgress> LoadAsync(ResendWindow resends, DuplicateWindow duplicates, CancellationToken cancellationToken);

    /// <summary>
    /// Notes the end of the pass about to update incidents: a pass resumed after a crash (or on
    /// another server) covers exactly the same batches (incidents ignore what they already counted;
    /// a larger pass would count twice).
    /// </summary>
    Task MarkPendingAsync(long upTo, CancellationToken cancellationToken);

    /// <summary>
    /// Records a pass in one transaction, its position last, once <paramref name="incidentsWritten"/>
    /// completed: a pass is recorded whole or not at all, and only after its incidents are updated.
    /// </summary>
    Task RecordAsync(PassRecord pass, Task incidentsWritten, CancellationToken cancellationToken);

    /// <summary>The log position the aggregator has applied and recorded: every batch after it is still to be applied.</summary>
    Task<long> AppliedSeqAsync(CancellationToken cancellationToken);

    /// <summary>The totals per feed and the position they count up to, read together (one snapshot).</summary>
    Task<IngestTotals> TotalsAsync(CancellationToken cancellationToken);

    /// <summary>Unmatched events, newest first (of one feed when <paramref name="feed"/> is not empty), and how many there are.</summary>
    Task<UnmatchedPage> UnmatchedAsync(string feed, int offset, int limit, CancellationToken cancellationToken);
}
