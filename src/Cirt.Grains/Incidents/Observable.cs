namespace Cirt.Grains.Incidents;

/// <summary>A technical observable, its value in canonical form (see <see cref="ObservableRules"/>).</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Observable")]
public sealed record Observable(
    [property: Id(0)] ObservableType Type,
    [property: Id(1)] string Value,
    [property: Id(2)] string Comment);
