namespace Cirt.Grains.Stakeholders;

/// <summary>What a stakeholder owns on the Internet: IP prefixes, autonomous systems, domains.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Constituency")]
public sealed record Constituency(
    [property: Id(0)] string[] IpPrefixes,
    [property: Id(1)] uint[] Asns,
    [property: Id(2)] string[] Domains)
{
    public static readonly Constituency Empty = new([], [], []);
}
