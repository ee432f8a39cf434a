namespace Cirt.Server.Ingest;

/// <summary>
/// Where the aggregator resumes: the log is aggregated up to <see cref="AggregatedSeq"/>; a pass
/// that was under way covered up to <see cref="PendingSeq"/> (0 when none) and is done again over
/// exactly that range; the duplicate window's runs hold <see cref="TargetsOnDisk"/> sightings.
/// </summary>
public sealed record IngestProgress(long AggregatedSeq, long PendingSeq, long TargetsOnDisk);
