using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Tasks across incidents, soonest due first (tasks without a due date last), seen at
/// <paramref name="Now"/>. Tasks of rejected or duplicate incidents are not listed.
/// </summary>
public sealed record TaskQuery(bool OpenOnly, bool OverdueOnly, DateTimeOffset Now, int Limit)
{
    /// <summary>The page starts after this position (the last task of the previous page); null for the first page.</summary>
    public TaskPosition? After { get; init; }

    /// <summary>
    /// Only the tasks this organisation has: assigned to it, of incidents it may see
    /// (<see cref="IncidentAccess.OrganisationSees"/>), so that no organisation learns of an incident
    /// through a task. An empty value (a principal bound to no organisation) sees nothing. Set it for
    /// a viewer with <see cref="SeenBy"/>.
    /// </summary>
    public string? AssignedToStakeholder { get; init; }

    /// <summary>Only tasks assigned to this analyst.</summary>
    public string? AssignedToAnalyst { get; init; }

    /// <summary>When set, only tasks of incidents affecting this sector.</summary>
    public string? SectorCode { get; init; }

    public bool Matches(IncidentSummary incident, IncidentTask task) =>
        incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate)
        && (SectorCode is null || incident.SectorCodes.Contains(SectorCode))
        && (AssignedToStakeholder is null
            || (task.AssigneeStakeholderId == AssignedToStakeholder
                && IncidentAccess.OrganisationSees(AssignedToStakeholder, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp)))
        && (AssignedToAnalyst is null || task.AssigneeAnalyst == AssignedToAnalyst)
        && (!OpenOnly || task.IsOpen)
        && (!OverdueOnly || task.IsOverdueAt(Now));

    /// <summary>Whether <paramref name="row"/> comes after <see cref="After"/> (every row does on a first page).</summary>
    public bool IsPast(TaskRow row) => After is null || TaskPosition.Compare(After, TaskPosition.Of(row)) < 0;

    /// <summary>
    /// This query bounded to what <paramref name="viewer"/> may see: CIRT staff every task (their
    /// filters as given), anyone else only its own organisation's (<see cref="AssignedToStakeholder"/>),
    /// whatever it asked for.
    /// </summary>
    public TaskQuery SeenBy(Principal viewer) =>
        IncidentAccess.OrganisationScope(viewer) is { } organisation ? this with { AssignedToStakeholder = organisation } : this;
}

/// <summary>One task of one incident, as the cross-incident list shows it.</summary>
public sealed record TaskRow(IncidentSummary Incident, IncidentTask Task);
