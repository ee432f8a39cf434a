namespace Cirt.Server.Ingest;

/// <summary>The totals per feed (by name) and the log position they count up to, read together.</summary>
public sealed record IngestTotals(IReadOnlyList<(string Feed, FeedTotals Totals)> Feeds, long AggregatedSeq);
