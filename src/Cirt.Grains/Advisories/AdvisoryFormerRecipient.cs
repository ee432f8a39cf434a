namespace Cirt.Grains.Advisories;

/// <summary>
/// A stakeholder an update of a published advisory took off its recipients. It keeps what it was
/// sent: the version <see cref="LastVersion"/> (kept as an <see cref="AdvisoryEdition"/>), shown to it
/// as withdrawn for it; nothing newer reaches it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryFormerRecipient")]
public sealed record AdvisoryFormerRecipient(
    [property: Id(0)] AdvisoryRecipient Recipient,
    [property: Id(1)] long LastVersion,
    [property: Id(2)] DateTimeOffset RemovedAt,
    [property: Id(3)] string RemovedBy)
{
    public string StakeholderId => Recipient.StakeholderId;
}
