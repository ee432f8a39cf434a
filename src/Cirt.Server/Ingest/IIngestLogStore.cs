namespace Cirt.Server.Ingest;

/// <summary>
/// Where the ingest log's batches are kept (<see cref="IngestLog"/> does the queueing and the group
/// commit around it): appended a group per transaction, read back in log order. Embedded:
/// ingest.db (<see cref="SqliteIngestLogStore"/>); cluster: PostgreSQL, shared by every server
/// (<see cref="PostgresIngestLogStore"/>).
/// </summary>
public interface IIngestLogStore
{
    /// <summary>
    /// How often the aggregator looks for new batches when none was signalled; null when every batch
    /// is appended by this process, which signals each commit (<see cref="IngestLog.Committed"/>).
    /// </summary>
    TimeSpan? PollInterval { get; }

    /// <summary>The one writer of this process, held by the log's commit loop.</summary>
    Task<IIngestLogWriter> OpenWriterAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The batches after log position <paramref name="after"/>, up to <paramref name="upTo"/>, in
    /// order, until they hold at least <paramref name="events"/> events: still encoded, in buffers the
    /// caller returns to the shared pool. No batch is ever seen before one with a lower position.
    /// </summary>
    Task<List<LoggedBatch>> ReadAsync(long after, long upTo, long events, CancellationToken cancellationToken);

    /// <summary>How many events the log holds after position <paramref name="seq"/>.</summary>
    Task<long> EventsAfterAsync(long seq, CancellationToken cancellationToken);

    /// <summary>Upkeep beside the writer for as long as the log runs (the embedded file's checkpoints); returns when stopped.</summary>
    Task MaintainAsync(CancellationToken stoppingToken);
}
