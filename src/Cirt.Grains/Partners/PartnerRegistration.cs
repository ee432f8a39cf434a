namespace Cirt.Grains.Partners;

/// <summary>What a coordinator gives to register a partner.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.PartnerRegistration")]
public sealed record PartnerRegistration(
    [property: Id(0)] string Name,
    [property: Id(1)] string Country,
    [property: Id(2)] string EndpointUrl,
    [property: Id(3)] string PublicKeyPem,
    [property: Id(4)] string OutboundApiKey,
    [property: Id(5)] SharingAgreement Agreement);
