namespace Cirt.Grains.Incidents;

/// <summary>The person who reported an incident on behalf of a stakeholder.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.ReporterContact")]
public sealed record ReporterContact(
    [property: Id(0)] string Name,
    [property: Id(1)] string Email,
    [property: Id(2)] string Phone)
{
    public static readonly ReporterContact None = new("", "", "");
}
