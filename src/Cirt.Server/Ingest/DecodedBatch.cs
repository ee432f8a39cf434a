using System.Buffers;
using Cirt.Grains.Ingest;
using Google.Protobuf.Collections;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>A batch of the log decoded: its events, and the key of each (<see cref="EventKeys"/>) at the same index.</summary>
public sealed record DecodedBatch(long Seq, long ReceivedAt, string Producer, RepeatedField<Proto.Event> Events, long[] Keys, string Rejected)
{
    /// <summary>A batch of events as the log would hold it, decoded.</summary>
    public static DecodedBatch Of(long seq, long receivedAt, string producer, Proto.EventBatch batch, string rejected) =>
        new(seq, receivedAt, producer, batch.Events, KeysOf(producer, batch.Events), rejected);

    /// <summary>
    /// Decodes batches read from the log and returns their buffers to the pool. Decoding and hashing
    /// each event's key are most of a pass's work, independent per batch: spread over the cores.
    /// </summary>
    public static DecodedBatch[] DecodeAll(IReadOnlyList<LoggedBatch> batches, CancellationToken cancellationToken)
    {
        var decoded = new DecodedBatch[batches.Count];
        try
        {
            Parallel.For(0, batches.Count, new ParallelOptions { CancellationToken = cancellationToken }, b =>
            {
                var logged = batches[b];
                var events = Proto.EventBatch.Parser.ParseFrom(logged.Events, 0, logged.Length).Events;
                decoded[b] = new DecodedBatch(logged.Seq, logged.ReceivedAt, logged.Producer, events, KeysOf(logged.Producer, events), logged.Rejected);
            });
        }
        finally
        {
            foreach (var batch in batches)
            {
                ArrayPool<byte>.Shared.Return(batch.Events);
            }
        }

        return decoded;
    }

    private static long[] KeysOf(string producer, RepeatedField<Proto.Event> events)
    {
        var keys = new long[events.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = EventKeys.Of(producer, events[i].ProducerEventId);
        }

        return keys;
    }
}
