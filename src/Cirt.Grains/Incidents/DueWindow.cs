namespace Cirt.Grains.Incidents;

/// <summary>A span of time, both ends included, in which deadlines and tasks may fall due.</summary>
public sealed record DueWindow(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset time) => time >= From && time <= To;
}
