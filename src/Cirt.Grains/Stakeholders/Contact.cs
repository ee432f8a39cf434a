namespace Cirt.Grains.Stakeholders;

/// <summary>A contact person or desk at a stakeholder.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Contact")]
public sealed record Contact(
    [property: Id(0)] string Name,
    [property: Id(1)] string Role,
    [property: Id(2)] string Email,
    [property: Id(3)] string Phone,
    [property: Id(4)] DateTimeOffset? VerifiedAt);
