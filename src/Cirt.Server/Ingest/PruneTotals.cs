namespace Cirt.Server.Ingest;

/// <summary>What one pruning pass deleted: rows of each kind, and the pages given back to the file system.</summary>
public sealed record PruneTotals(long LogBatches, long Unmatched, long ResendRuns, long PagesReclaimed);
