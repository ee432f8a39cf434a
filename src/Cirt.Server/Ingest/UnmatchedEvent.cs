namespace Cirt.Server.Ingest;

/// <summary>An event no constituency holds, as kept: when its batch came (Unix milliseconds), from whom, its feed, and the event encoded (a cirt.v1.Event).</summary>
public sealed record UnmatchedEvent(long ReceivedAt, string Producer, string Feed, byte[] Event);
