using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.IntelMq;

/// <summary>An IntelMQ event as a Cirt <see cref="Proto.Event"/>, and which IntelMQ key each of the event's fields came from.</summary>
/// <param name="Event">The event, ready for the ingest path.</param>
/// <param name="ObservedKey">The key observed_at came from: time.source, or time.observation when the event has no time.source.</param>
/// <param name="IdSource">Where producer_event_id came from: the key extra.cirt_event_id, the Idempotency-Key header, or the digest.</param>
public sealed record IntelMqMapped(Proto.Event Event, string ObservedKey, string IdSource)
{
    /// <summary>The IntelMQ key a field of <see cref="Proto.Event"/> (as the ingest rules name it, e.g. "source_ip") came from.</summary>
    public string KeyOf(string eventField) => eventField switch
    {
        "observed_at" => ObservedKey,
        "producer_event_id" => IdSource,
        _ => IntelMqMapping.KeyOfField.GetValueOrDefault(eventField, eventField),
    };
}
