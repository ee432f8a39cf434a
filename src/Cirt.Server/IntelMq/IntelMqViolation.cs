namespace Cirt.Server.IntelMq;

/// <summary>What is wrong with a request to the IntelMQ endpoint: which event (none for the body as a whole), which IntelMQ key, and why.</summary>
/// <param name="Event">The event's index in the request, from 0; null when the problem is the body's.</param>
/// <param name="Key">The IntelMQ key at fault ("source.ip"), or empty for the event as a whole.</param>
/// <param name="Reason">What is wrong, in a sentence a producer can act on.</param>
public sealed record IntelMqViolation(int? Event, string Key, string Reason);
