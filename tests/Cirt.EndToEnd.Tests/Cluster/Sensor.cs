using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// A sensor streaming events to the cluster (IngestService/Stream) as a well-behaved producer
/// does: a few batches in flight, each kept until its acknowledgement; when the stream breaks, it
/// opens one on the next silo and sends again every batch not acknowledged (same batch ids, same
/// producer_event_ids). Each batch holds <see cref="EventsPerBatch"/> events about ExampleTel
/// (2001:db8:100::/40), the last <see cref="RepeatsPerBatch"/> repeating the targets of its first ones:
/// those are duplicates, everything else is not. It streams to the silo at <paramref name="first"/> first.
/// </summary>
public sealed class Sensor(int number, IReadOnlyList<string> addresses, int first, string apiKey, string feed)
{
    public const int EventsPerBatch = 100;
    public const int RepeatsPerBatch = 10;

    /// <summary>Batches sent without an acknowledgement at most.</summary>
    private const int InFlight = 8;

    /// <summary>A new batch every this long: 1,000 events a second.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the sensor keeps trying to have its last batches acknowledged after it was told to stop.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(120);

    private readonly SortedDictionary<int, EventBatch> _unacknowledged = [];
    private readonly Lock _lock = new();
    private readonly DateTimeOffset _observedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
    private int _made;
    private int _acknowledged;
    private int _address = first % addresses.Count;

    /// <summary>Batches made so far, each to be acknowledged before the sensor stops.</summary>
    public int Batches => Volatile.Read(ref _made);

    /// <summary>Batches acknowledged so far.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Set when the cluster refused events of a batch: every event is valid, so that is a failure, not a reason to send again.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Streams that broke (the silo died, or refused the connection) and were opened again on the next silo.</summary>
    public List<string> BrokenStreams { get; } = [];

    /// <summary>
    /// Streams new batches until <paramref name="stop"/> is cancelled, then keeps going, from silo
    /// to silo, until every batch made is acknowledged.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var giveUp = DateTime.MaxValue;
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                lock (_lock)
                {
                    if (_unacknowledged.Count == 0)
                    {
                        return;
                    }
                }

                giveUp = giveUp == DateTime.MaxValue ? DateTime.UtcNow + GiveUpAfter : giveUp;
                if (DateTime.UtcNow > giveUp)
                {
                    throw new TimeoutException($"sensor {number}: {_unacknowledged.Count} batches still unacknowledged {GiveUpAfter.TotalSeconds} s after it stopped making new ones; broken streams: {string.Join("; ", BrokenStreams)}");
                }
            }

            var address = addresses[_address];
            try
            {
                await StreamAsync(address, stop);
            }
            catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException or OperationCanceledException or HttpRequestException)
            {
                if (Refusal is not null)
                {
                    throw new InvalidOperationException(Refusal, ex);
                }

                BrokenStreams.Add($"{address}: {ex.GetType().Name} {ex.Message}");
                _address = (_address + 1) % addresses.Count;
                // A producer pauses before it connects again, rather than spinning on a dead address.
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
        }
    }

    /// <summary>One stream: first what is not acknowledged, then new batches until told to stop; returns once all it sent is acknowledged.</summary>
    private async Task StreamAsync(string address, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var broken = new CancellationTokenSource();
        using var call = new IngestService.IngestServiceClient(channel).Stream(
            new Metadata { { "authorization", "Bearer " + apiKey } }, cancellationToken: broken.Token);
        using var room = new SemaphoreSlim(InFlight);
        var reading = ReadAcknowledgementsAsync(call.ResponseStream, room, broken);
        try
        {
            EventBatch[] resend;
            lock (_lock)
            {
                resend = [.. _unacknowledged.Values];
            }

            foreach (var batch in resend)
            {
                await room.WaitAsync(broken.Token);
                await call.RequestStream.WriteAsync(new StreamRequest { Batch = batch }, broken.Token);
            }

            using var pace = new PeriodicTimer(Pace);
            while (!stop.IsCancellationRequested)
            {
                await room.WaitAsync(broken.Token);
                var batch = Make(Interlocked.Increment(ref _made) - 1);
                await call.RequestStream.WriteAsync(new StreamRequest { Batch = batch }, broken.Token);
                try
                {
                    await pace.WaitForNextTickAsync(stop);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception) when (!reading.IsCompletedSuccessfully)
        {
            // The reading side knows best why the stream broke: its failure is the one to report.
            await broken.CancelAsync();
            await reading;
            throw;
        }

        await reading;
        lock (_lock)
        {
            if (_unacknowledged.Count > 0)
            {
                throw new InvalidOperationException($"the stream ended with {_unacknowledged.Count} batches unacknowledged");
            }
        }
    }

    private async Task ReadAcknowledgementsAsync(IAsyncStreamReader<StreamResponse> responses, SemaphoreSlim room, CancellationTokenSource broken)
    {
        try
        {
            await foreach (var response in responses.ReadAllAsync(broken.Token))
            {
                Acknowledge(response.Ack);
                room.Release();
            }
        }
        catch
        {
            // The writer learns of it by the cancellation.
            await broken.CancelAsync();
            throw;
        }
    }

    private void Acknowledge(BatchAck ack)
    {
        if (ack.AcceptedCount != EventsPerBatch || ack.Rejected.Count > 0)
        {
            Refusal = $"sensor {number}, batch {ack.BatchId}: {ack.AcceptedCount} events accepted, refused: {string.Join("; ", ack.Rejected.Select(r => $"#{r.Index} {r.Field}: {r.Reason}"))}";
            throw new InvalidOperationException(Refusal);
        }

        lock (_lock)
        {
            if (_unacknowledged.Remove(int.Parse(ack.BatchId.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture)))
            {
                _acknowledged++;
            }
        }
    }

    private EventBatch Make(int b)
    {
        var batch = new EventBatch { BatchId = $"sensor{number}-{b}" };
        for (var i = 0; i < EventsPerBatch; i++)
        {
            var repeat = i >= EventsPerBatch - RepeatsPerBatch;
            var target = repeat ? i - (EventsPerBatch - RepeatsPerBatch) : i;
            batch.Events.Add(new Event
            {
                ProducerEventId = $"sensor{number}-{b}-{i}",
                Feed = feed,
                RsitClass = "malicious-code",
                RsitType = "infected-system",
                // A repeat is seen a minute after the first sighting of its target.
                ObservedAt = Timestamp.FromDateTimeOffset(repeat ? _observedAt.AddMinutes(1) : _observedAt),
                SourceIp = $"2001:db8:100:{number:x}:{b:x}::{target + 1:x}",
                MalwareFamily = "mirai",
            });
        }

        lock (_lock)
        {
            _unacknowledged.Add(b, batch);
        }

        return batch;
    }
}
