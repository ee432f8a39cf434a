namespace Cirt.Grains.Incidents;

/// <summary>
/// The query side of incidents: each incident grain publishes its summary here after every change;
/// the triage queue, sector views and statistics read it instead of fanning out over grains.
/// </summary>
public interface IIncidentQueue
{
    /// <summary>Stores the summary unless a newer version is already there.</summary>
    Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default);

    /// <summary>A page of incidents; their summaries' deadlines are left empty (see <see cref="DeadlinesAsync"/>).</summary>
    Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of deadlines across every incident, soonest due first.</summary>
    Task<(IReadOnlyList<DeadlineRow> Page, int Total)> DeadlinesAsync(DeadlineQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of tasks across every incident, soonest due first.</summary>
    Task<(IReadOnlyList<TaskRow> Page, int Total)> TasksAsync(TaskQuery query, CancellationToken cancellationToken = default);
}
