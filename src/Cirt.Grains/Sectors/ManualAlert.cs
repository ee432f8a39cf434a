namespace Cirt.Grains.Sectors;

/// <summary>An alert level a coordinator set by hand for a sector, with the reason.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.ManualAlert")]
public sealed record ManualAlert(
    [property: Id(0)] int Level,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string By);
