using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>Which deadlines a country-wide look lists.</summary>
public enum DeadlineView
{
    /// <summary>Not yet met: pending or overdue.</summary>
    Open = 1,

    /// <summary>Not met and past due.</summary>
    Overdue = 2,

    /// <summary>Every deadline, met or not.</summary>
    All = 3,
}

/// <summary>
/// The deadlines running across the country, soonest due first, seen at <paramref name="Now"/>.
/// Rejected incidents and duplicates have no obligations left and are not listed.
/// </summary>
public sealed record DeadlineQuery(DeadlineView View, DateTimeOffset Now, int Limit)
{
    /// <summary>The page starts after this position (the last deadline of the previous page); null for the first page.</summary>
    public DeadlinePosition? After { get; init; }

    /// <summary>
    /// When set, only the deadlines of incidents this organisation reported (its obligations), as
    /// far as it may see them (<see cref="IncidentAccess.OrganisationSees"/>). An empty value sees
    /// nothing. Set it for a viewer with <see cref="SeenBy"/>.
    /// </summary>
    public string? ReportedBy { get; init; }

    /// <summary>When set, only deadlines of incidents affecting this sector.</summary>
    public string? SectorCode { get; init; }

    public bool Matches(IncidentSummary incident, Deadline deadline) =>
        incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate)
        && (SectorCode is null || incident.SectorCodes.Contains(SectorCode))
        && (ReportedBy is null
            || (incident.ReporterStakeholderId == ReportedBy
                && IncidentAccess.OrganisationSees(ReportedBy, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp)))
        && View switch
        {
            DeadlineView.Open => deadline.MetAt is null,
            DeadlineView.Overdue => deadline.StatusAt(Now) == DeadlineStatus.Overdue,
            _ => true,
        };

    /// <summary>Whether <paramref name="row"/> comes after <see cref="After"/> (every row does on a first page).</summary>
    public bool IsPast(DeadlineRow row) => After is null || DeadlinePosition.Compare(After, DeadlinePosition.Of(row)) < 0;

    /// <summary>
    /// This query bounded to what <paramref name="viewer"/> may see: CIRT staff every deadline,
    /// anyone else only those of its own organisation's reports (<see cref="ReportedBy"/>).
    /// </summary>
    public DeadlineQuery SeenBy(Principal viewer) => this with { ReportedBy = IncidentAccess.OrganisationScope(viewer) };
}

/// <summary>One deadline of one incident, as the country-wide list shows it.</summary>
public sealed record DeadlineRow(IncidentSummary Incident, Deadline Deadline);
