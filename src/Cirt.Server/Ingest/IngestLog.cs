using System.Diagnostics;
using System.Threading.Channels;
using Cirt.Server.Storage;
using Cirt.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Ingest;

/// <summary>
/// The durable ingest log with group commit: producers queue batches (a bounded queue, so a server
/// that cannot keep up slows them down); one writer commits every queued batch in one transaction,
/// one fsync, and only then completes them: an acknowledgement means the events are committed
/// (data/ingest.db embedded, PostgreSQL in the cluster: <see cref="IIngestLogStore"/>). The
/// aggregator reads it back in order (<see cref="ReadAsync"/>).
/// </summary>
public sealed class IngestLog(IIngestLogStore store, IOptions<IngestOptions> options, IngestMeter meter, ILogger<IngestLog> logger)
    : BackgroundService
{
    private readonly Channel<PendingBatch> _queue = Channel.CreateBounded<PendingBatch>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Raised after each commit, so the aggregator can start at once.</summary>
    public event Action? Committed;

    private long _committedSeq;

    /// <summary>The log position of the latest durable batch (0 before the first one).</summary>
    public long CommittedSeq => Volatile.Read(ref _committedSeq);

    public int Queued => _queue.Reader.Count;

    /// <summary>
    /// Queues a batch; waits for room at most the configured time. False when there was no room:
    /// the caller answers RESOURCE_EXHAUSTED.
    /// </summary>
    public async Task<bool> TryEnqueueAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(batch))
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.EnqueueTimeout);
        // Wait for room, then offer the batch: the queue only ever takes a batch from TryWrite, so a
        // timed-out wait can never leave queued a batch whose producer was told to resend it.
        try
        {
            while (await _queue.Writer.WaitToWriteAsync(timeout.Token))
            {
                if (_queue.Writer.TryWrite(batch))
                {
                    return true;
                }
            }

            return false; // shutting down
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc cref="IIngestLogStore.ReadAsync"/>
    public Task<List<LoggedBatch>> ReadAsync(long after, long upTo, long events, CancellationToken cancellationToken) =>
        store.ReadAsync(after, upTo, events, cancellationToken);

    /// <inheritdoc cref="IIngestLogStore.EventsAfterAsync"/>
    public Task<long> EventsAfterAsync(long seq, CancellationToken cancellationToken) => store.EventsAfterAsync(seq, cancellationToken);

    /// <inheritdoc cref="IIngestLogStore.PollInterval"/>
    public TimeSpan? PollInterval => store.PollInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var writer = await store.OpenWriterAsync(stoppingToken);
        Volatile.Write(ref _committedSeq, await writer.LatestSeqAsync(stoppingToken));
        var maintaining = Task.Run(() => store.MaintainAsync(stoppingToken), stoppingToken);
        var group = new List<(PendingBatch Batch, long Seq)>(options.Value.MaxGroupBatches);
        var max = options.Value.MaxGroupBatches;
        PendingBatch? Next() => group.Count < max && _queue.Reader.TryRead(out var batch) ? batch : null;
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            group.Clear();
            using var activity = CirtActivities.Source.StartActivity("ingest commit");
            try
            {
                await writer.AppendAsync(Next, group, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                // A full disk is logged by StorageHealth, once and then a line a minute, not per commit.
                if (!StorageFull.Is(ex))
                {
                    logger.LogError(ex, "Ingest commit of {Batches} batch(es) failed; producers are told to resend", group.Count);
                }

                foreach (var (batch, _) in group)
                {
                    batch.Durable.TrySetException(ex);
                }

                continue;
            }

            activity?.SetTag("cirt.ingest.batches", group.Count);
            foreach (var (batch, seq) in group)
            {
                meter.Stored(batch.Accepted.Events.Count);
                Volatile.Write(ref _committedSeq, seq);
                batch.Durable.TrySetResult(seq);
            }

            Committed?.Invoke();
        }

        await maintaining;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        while (_queue.Reader.TryRead(out var left))
        {
            left.Durable.TrySetCanceled(cancellationToken);
        }
    }
}
