using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Server.Tests;

/// <summary>Automated events to send; each test changes what it needs.</summary>
public static class Events
{
    public static Event Infected(string sourceIp, string? id = null, string feed = "honeypot-1", DateTimeOffset? observedAt = null) => new()
    {
        ProducerEventId = id ?? Guid.NewGuid().ToString("N"),
        Feed = feed,
        RsitClass = "malicious-code",
        RsitType = "infected-system",
        ObservedAt = Timestamp.FromDateTimeOffset(observedAt ?? DateTimeOffset.UtcNow.AddMinutes(-1)),
        SourceIp = sourceIp,
        MalwareFamily = "mirai",
    };

    public static EventBatch Batch(params Event[] events)
    {
        var batch = new EventBatch { BatchId = Guid.NewGuid().ToString("N")[..12] };
        batch.Events.AddRange(events);
        return batch;
    }
}
