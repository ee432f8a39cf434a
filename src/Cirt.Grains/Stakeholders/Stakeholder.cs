namespace Cirt.Grains.Stakeholders;

/// <summary>An organisation the CIRT serves or works with, as stored.</summary>
/// <param name="TrustServiceProvider">
/// A trust service provider: its significant incidents affecting its trust services are notified
/// within 24 hours (NIS2 Art. 23(4)(b)).
/// </param>
[GenerateSerializer, Immutable]
[Alias("cirt.Stakeholder")]
public sealed record Stakeholder(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] StakeholderType Type,
    [property: Id(3)] string[] SectorCodes,
    [property: Id(4)] string Country,
    [property: Id(5)] Nis2EntityClass Nis2EntityClass,
    [property: Id(6)] Contact[] Contacts,
    [property: Id(7)] Constituency Constituency,
    [property: Id(8)] long Version,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt,
    [property: Id(11)] string UpdatedBy,
    [property: Id(12)] DateTimeOffset? VerificationRequestedAt = null,
    [property: Id(13)] bool TrustServiceProvider = false);
