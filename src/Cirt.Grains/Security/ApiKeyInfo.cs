namespace Cirt.Grains.Security;

/// <summary>An API key as listed: everything but its secret.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] Principal Principal,
    [property: Id(1)] DateTimeOffset IssuedAt,
    [property: Id(2)] string IssuedBy,
    [property: Id(3)] DateTimeOffset? RevokedAt,
    [property: Id(4)] string RevokedBy)
{
    public bool IsRevoked => RevokedAt is not null;
}
