using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>A filtered, ordered, paged look at the incident queue.</summary>
public sealed record IncidentQuery(
    IReadOnlyCollection<IncidentStatus> Statuses,
    string? SectorCode,
    IReadOnlyCollection<Severity> Severities,
    string? StakeholderId,
    IncidentOrder Order,
    int Offset,
    int Limit)
{
    /// <summary>
    /// When set, only incidents this organisation may see (see <see cref="IncidentAccess.OrganisationSees"/>):
    /// reported by it, or affecting it at a TLP that reaches involved organisations. An empty value
    /// (a principal bound to no organisation) sees nothing. Set it with <see cref="SeenBy"/>.
    /// </summary>
    public string? VisibleToStakeholder { get; init; }

    /// <summary>Leave exercise incidents out (statistics do).</summary>
    public bool ExcludeExercises { get; init; }

    public static IncidentQuery All(int limit = 50) => new([], null, [], null, IncidentOrder.NewestFirst, 0, limit);

    /// <summary>Whether <paramref name="summary"/> passes the filter (for in-memory read models and tests).</summary>
    public bool Matches(IncidentSummary summary) =>
        (!ExcludeExercises || !summary.Exercise)
        && (Statuses.Count == 0 || Statuses.Contains(summary.Status))
        && (Severities.Count == 0 || Severities.Contains(summary.Severity))
        && (SectorCode is null || summary.SectorCodes.Contains(SectorCode))
        && (StakeholderId is null || summary.ReporterStakeholderId == StakeholderId || summary.AffectedStakeholderIds.Contains(StakeholderId))
        && (VisibleToStakeholder is null
            || IncidentAccess.OrganisationSees(VisibleToStakeholder, summary.ReporterStakeholderId, summary.AffectedStakeholderIds, summary.Tlp));

    /// <summary>This query bounded to what <paramref name="viewer"/> may see: everything for CIRT staff, its own organisation's incidents for an operator, nothing for anyone else.</summary>
    public IncidentQuery SeenBy(Principal viewer) => this with { VisibleToStakeholder = IncidentAccess.OrganisationScope(viewer) };
}
