namespace Cirt.Grains.Advisories;

/// <summary>A stakeholder the advisory was delivered to, and whether it acknowledged it.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryRecipient")]
public sealed record AdvisoryRecipient(
    [property: Id(0)] string StakeholderId,
    [property: Id(1)] DateTimeOffset DeliveredAt,
    [property: Id(2)] DateTimeOffset? AcknowledgedAt,
    [property: Id(3)] string AcknowledgedBy,
    [property: Id(4)] int Reminders,
    [property: Id(5)] DateTimeOffset? LastRemindedAt);
