using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cirt.Grains.Ingest;

/// <summary>
/// An event's identity for idempotency: 64 bits of SHA-256 over producer and producer_event_id.
/// (A false match needs about 4 billion events before it becomes likely; below 10^-5 at 10 million.)
/// </summary>
public static class EventKeys
{
    public static long Of(string producer, string producerEventId)
    {
        Span<byte> input = stackalloc byte[Encoding.UTF8.GetMaxByteCount(producer.Length + producerEventId.Length + 1)];
        var length = Encoding.UTF8.GetBytes(producer, input);
        input[length++] = 0;
        length += Encoding.UTF8.GetBytes(producerEventId, input[length..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
