namespace Cirt.Grains.Advisories;

/// <summary>
/// A past version of an advisory as it was delivered, kept while a former recipient last received
/// it (see <see cref="AdvisoryFormerRecipient"/>): what that organisation still sees.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryEdition")]
public sealed record AdvisoryEdition(
    [property: Id(0)] long Version,
    [property: Id(1)] AdvisoryContent Content,
    [property: Id(2)] DateTimeOffset UpdatedAt,
    [property: Id(3)] string UpdatedBy);
