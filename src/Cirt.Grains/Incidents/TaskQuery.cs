namespace Cirt.Grains.Incidents;

/// <summary>
/// Tasks across incidents, soonest due first (tasks without a due date last), seen at
/// <paramref name="Now"/>. Tasks of rejected or duplicate incidents are not listed.
/// </summary>
public sealed record TaskQuery(bool OpenOnly, bool OverdueOnly, DateTimeOffset Now, int Offset, int Limit)
{
    /// <summary>Only tasks assigned to this stakeholder (operators see no others; an empty value sees nothing).</summary>
    public string? AssignedToStakeholder { get; init; }

    /// <summary>Only tasks assigned to this analyst.</summary>
    public string? AssignedToAnalyst { get; init; }

    /// <summary>When set, only tasks of incidents affecting this sector.</summary>
    public string? SectorCode { get; init; }

    public bool Matches(IncidentSummary incident, IncidentTask task) =>
        incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate)
        && (SectorCode is null || incident.SectorCodes.Contains(SectorCode))
        && (AssignedToStakeholder is null || (AssignedToStakeholder.Length > 0 && task.AssigneeStakeholderId == AssignedToStakeholder))
        && (AssignedToAnalyst is null || task.AssigneeAnalyst == AssignedToAnalyst)
        && (!OpenOnly || task.IsOpen)
        && (!OverdueOnly || task.IsOverdueAt(Now));
}

/// <summary>One task of one incident, as the cross-incident list shows it.</summary>
public sealed record TaskRow(IncidentSummary Incident, IncidentTask Task);
