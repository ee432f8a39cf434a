namespace Cirt.Server.Ingest;

/// <summary>The storage side of ingest retention (<see cref="IngestPruner"/>): embedded <see cref="SqliteIngestRetention"/>, cluster <see cref="PostgresIngestRetention"/>.</summary>
public interface IIngestRetentionStore
{
    /// <summary>
    /// Deletes, in short transactions, unmatched events, resend runs and applied log batches older
    /// than their retention at <paramref name="now"/>; gives space back where the store does so.
    /// </summary>
    Task<PruneTotals> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
