namespace Cirt.Server.Federation;

/// <summary>How deliveries to one partner stand in the outbox.</summary>
/// <param name="NextAttemptAt">When the oldest queued message is tried again, while deliveries fail.</param>
public sealed record DeliveryCounts(
    long Queued,
    long Held,
    long Delivered,
    long Failed,
    string LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastDeliveredAt,
    DateTimeOffset? NextAttemptAt);
