namespace Cirt.Grains.Security;

/// <summary>Who is calling: the holder of one API key.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Principal")]
public sealed record Principal(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Name,
    [property: Id(2)] Role Role,
    [property: Id(3)] string StakeholderId,
    [property: Id(4)] string PartnerId)
{
    /// <summary>CIRT staff see and work every incident.</summary>
    public bool IsCirtStaff => Role is Role.Analyst or Role.Coordinator;

    /// <summary>How the principal appears in timelines and logs, e.g. "alice" or "soc-bot@gridco".</summary>
    public string Actor => Role switch
    {
        Role.Operator => $"{Name}@{StakeholderId}",
        Role.Partner => $"{Name}@partner:{PartnerId}",
        _ => Name,
    };
}
