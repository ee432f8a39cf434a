namespace Cirt.Grains.Partners;

/// <summary>A partner CIRT abroad, as registered by our coordinators.</summary>
/// <param name="Id">Its instance id, e.g. "cirt-de".</param>
/// <param name="EndpointUrl">Where its FederationService listens; empty for a partner that only reads our TAXII collection.</param>
/// <param name="OutboundApiKey">The key it issued to us, to call its endpoint with. Never shown.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.Partner")]
public sealed record Partner(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Country,
    [property: Id(3)] string EndpointUrl,
    [property: Id(4)] PartnerKey[] Keys,
    [property: Id(5)] SharingAgreement Agreement,
    [property: Id(6)] PartnerStatus Status,
    [property: Id(7)] long Version,
    [property: Id(8)] DateTimeOffset RegisteredAt,
    [property: Id(9)] string RegisteredBy,
    [property: Id(10)] DateTimeOffset UpdatedAt,
    [property: Id(11)] string UpdatedBy,
    [property: Id(12)] string SuspendReason,
    [property: Id(13)] string OutboundApiKey);
