namespace Cirt.Server.Ingest;

/// <summary>
/// A write of the aggregator's state refused because this server no longer holds the aggregation
/// lease (another took it over, with a higher epoch): the pass is abandoned, nothing of it recorded.
/// </summary>
public sealed class IngestFencedException(long epoch)
    : Exception($"The ingest aggregation lease of epoch {epoch} is no longer held: another server aggregates now.")
{
    public long Epoch { get; } = epoch;
}
