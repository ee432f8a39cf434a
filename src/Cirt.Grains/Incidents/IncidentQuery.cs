using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>
/// A filtered, ordered, paged look at the incident queue: at most <paramref name="Limit"/>
/// incidents, starting after <see cref="After"/>.
/// </summary>
public sealed record IncidentQuery(
    IReadOnlyCollection<IncidentStatus> Statuses,
    string? SectorCode,
    IReadOnlyCollection<Severity> Severities,
    string? StakeholderId,
    IncidentOrder Order,
    int Limit)
{
    /// <summary>The page starts after this position (the last incident of the previous page); null for the first page.</summary>
    public IncidentPosition? After { get; init; }

    /// <summary>
    /// When set, only incidents this organisation may see (see <see cref="IncidentAccess.OrganisationSees"/>):
    /// reported by it, or affecting it at a TLP that reaches involved organisations. An empty value
    /// (a principal bound to no organisation) sees nothing. Set it with <see cref="SeenBy"/>.
    /// </summary>
    public string? VisibleToStakeholder { get; init; }

    /// <summary>The page's summaries carry their deadlines and tasks (a live view's first page needs them; a listing does not).</summary>
    public bool WithDeadlinesAndTasks { get; init; }

    /// <summary>Leave exercise incidents out (statistics do).</summary>
    public bool ExcludeExercises { get; init; }

    public static IncidentQuery All(int limit = 50) => new([], null, [], null, IncidentOrder.NewestFirst, limit);

    /// <summary>Whether <paramref name="summary"/> passes the filter (for in-memory read models and tests).</summary>
    public bool Matches(IncidentSummary summary) =>
        (!ExcludeExercises || !summary.Exercise)
        && (Statuses.Count == 0 || Statuses.Contains(summary.Status))
        && (Severities.Count == 0 || Severities.Contains(summary.Severity))
        && (SectorCode is null || summary.SectorCodes.Contains(SectorCode))
        && (StakeholderId is null || summary.ReporterStakeholderId == StakeholderId || summary.AffectedStakeholderIds.Contains(StakeholderId))
        && (VisibleToStakeholder is null
            || IncidentAccess.OrganisationSees(VisibleToStakeholder, summary.ReporterStakeholderId, summary.AffectedStakeholderIds, summary.Tlp));

    /// <summary>Whether <paramref name="summary"/> comes after <see cref="After"/> in this query's order (every incident does on a first page).</summary>
    public bool IsPast(IncidentSummary summary) => After is null || IncidentPosition.Compare(After, IncidentPosition.Of(summary), Order) < 0;

    /// <summary>This query bounded to what <paramref name="viewer"/> may see: everything for CIRT staff, its own organisation's incidents for an operator, nothing for anyone else.</summary>
    public IncidentQuery SeenBy(Principal viewer) => this with { VisibleToStakeholder = IncidentAccess.OrganisationScope(viewer) };
}
