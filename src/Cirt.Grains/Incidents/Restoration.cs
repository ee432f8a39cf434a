namespace Cirt.Grains.Incidents;

/// <summary>
/// Whether an affected stakeholder's services are restored, as last reported: by the organisation
/// itself, or by CIRT staff on its behalf (<paramref name="OnBehalf"/>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Restoration")]
public sealed record Restoration(
    [property: Id(0)] string StakeholderId,
    [property: Id(1)] bool Restored,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string By,
    [property: Id(4)] string Note,
    [property: Id(5)] bool OnBehalf = false);
