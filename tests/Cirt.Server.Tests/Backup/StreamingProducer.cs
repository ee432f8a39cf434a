using System.Collections.Concurrent;
using System.Diagnostics;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Backup;

/// <summary>
/// A sensor streaming batches over IngestService.Stream with a few in flight, as a real producer
/// does, until told to stop; it records every acknowledgement with its time.
/// </summary>
public sealed class StreamingProducer(IngestService.IngestServiceClient client, Func<int, Event> eventAt, int batchSize = 50, int inFlight = 4)
{
    /// <summary>Event numbers stay below this, so that no two events share a target.</summary>
    public const int MaxEvents = 60_000;

    private readonly ConcurrentQueue<ProducerAck> _acks = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The acknowledgements received so far, in the order they came.</summary>
    public ProducerAck[] Acks => _acks.ToArray();

    /// <summary>The producer's clock, on which <see cref="ProducerAck"/> times are read.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Streams until <paramref name="stop"/> (or <see cref="MaxEvents"/>), then waits for every acknowledgement still due.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var call = client.Stream();
        using var window = new SemaphoreSlim(inFlight);
        var sentAt = new ConcurrentDictionary<string, TimeSpan>();
        var reading = Task.Run(async () =>
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                var at = _clock.Elapsed;
                sentAt.TryRemove(response.Ack.BatchId, out var sent);
                _acks.Enqueue(new ProducerAck(response.Ack.BatchId, response.Ack.AcceptedCount, sent, at));
                window.Release();
            }
        });

        for (var n = 0; n + batchSize <= MaxEvents; n += batchSize)
        {
            try
            {
                await window.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var batch = Events.Batch(Enumerable.Range(n, batchSize).Select(eventAt).ToArray());
            sentAt[batch.BatchId] = _clock.Elapsed;
            await call.RequestStream.WriteAsync(new StreamRequest { Batch = batch });
        }

        await call.RequestStream.CompleteAsync();
        await reading;
    }
}
