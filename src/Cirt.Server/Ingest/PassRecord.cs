using Cirt.Grains.Ingest;

namespace Cirt.Server.Ingest;

/// <summary>
/// What a worked-out pass leaves to write: the incidents' deltas, then, in one transaction, its new
/// event keys (one resend run, in the generation <see cref="Placement"/> says), the duplicate
/// window's changes (or, when <see cref="SightingsReplaceRuns"/>, the whole window, replacing every
/// earlier run), the unmatched events, the totals per feed, and the log position it reached.
/// </summary>
public sealed record PassRecord(
    long UpTo,
    HashSet<long> Fresh,
    ResendWindow.Placement Placement,
    TargetSightings Sightings,
    bool SightingsReplaceRuns,
    long TargetsOnDisk,
    IReadOnlyList<UnmatchedEvent> Unmatched,
    IReadOnlyDictionary<string, FeedTotals> Totals,
    EventAggregate[] Aggregates);
