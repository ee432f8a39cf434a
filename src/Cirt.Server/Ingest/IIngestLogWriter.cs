namespace Cirt.Server.Ingest;

/// <summary>The ingest log's writer in this process: one group of batches per transaction.</summary>
public interface IIngestLogWriter : IAsyncDisposable
{
    /// <summary>The position of the latest batch of the log (0 when it never held one).</summary>
    Task<long> LatestSeqAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends, in one transaction, the batches <paramref name="next"/> hands out until it returns
    /// null, adding each with its log position to <paramref name="group"/> as it is taken. Returns
    /// once they are committed; throws when they are not (none of them is then).
    /// </summary>
    Task AppendAsync(Func<PendingBatch?> next, List<(PendingBatch Batch, long Seq)> group, CancellationToken cancellationToken);
}
