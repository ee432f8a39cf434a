namespace Cirt.Grains.Partners;

/// <summary>A partner's public signing key (ECDSA P-256, PEM SubjectPublicKeyInfo).</summary>
/// <param name="Fingerprint">SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex.</param>
/// <param name="ValidUntil">Null while it is the newest key; set when a newer one is added, to the end of the overlap.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.PartnerKey")]
public sealed record PartnerKey(
    [property: Id(0)] string PublicKeyPem,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] DateTimeOffset AddedAt,
    [property: Id(3)] DateTimeOffset? ValidUntil)
{
    public bool IsValidAt(DateTimeOffset at) => ValidUntil is null || at <= ValidUntil;
}
