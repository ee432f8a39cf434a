using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>The principals incident tests act as.</summary>
public static class Callers
{
    /// <summary>Analyst "ana" (appears as "ana" in timelines).</summary>
    public static Principal Analyst { get; } = new("", "ana", Role.Analyst, "", "");

    /// <summary>Coordinator "marie".</summary>
    public static Principal Coordinator { get; } = new("", "marie", Role.Coordinator, "", "");

    /// <summary>An operator of <paramref name="stakeholderId"/> (appears as "soc@{stakeholderId}").</summary>
    public static Principal Operator(string stakeholderId) => new("", "soc", Role.Operator, stakeholderId, "");
}
