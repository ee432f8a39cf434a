namespace Cirt.Grains.Incidents;

/// <summary>
/// The query side of incidents: each incident grain publishes its summary here after every change;
/// the triage queue, sector views and statistics read it instead of fanning out over grains.
/// </summary>
public interface IIncidentQueue
{
    /// <summary>Stores the summary unless a newer version is already there.</summary>
    Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default);

    /// <summary>A page of incidents; their summaries' deadlines and tasks are left empty unless the query asks for them (<see cref="IncidentQuery.WithDeadlinesAndTasks"/>; see also <see cref="DeadlinesAsync"/>).</summary>
    Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of deadlines across every incident, soonest due first, and how many the view holds.
    /// The total is exact unless TotalIsLowerBound: an adapter may bound what it reads for a view
    /// that depends on the clock (overdue), and then says that at least Total deadlines match.
    /// </summary>
    Task<(IReadOnlyList<DeadlineRow> Page, int Total, bool TotalIsLowerBound)> DeadlinesAsync(DeadlineQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of tasks across every incident, soonest due first, and how many match (as for <see cref="DeadlinesAsync"/>: overdue tasks may be counted as a lower bound).</summary>
    Task<(IReadOnlyList<TaskRow> Page, int Total, bool TotalIsLowerBound)> TasksAsync(TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The incidents written after change number <paramref name="afterChange"/>, oldest change
    /// first, at most <paramref name="limit"/>, each with its deadlines and tasks; with a limit of 0
    /// none, only the latest change number. Every write of an incident takes the next change
    /// number, so a reader that goes on from <see cref="IncidentChanges.Through"/> misses nothing,
    /// whichever silo wrote.
    /// </summary>
    Task<IncidentChanges> ChangesAsync(long afterChange, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The incidents (rejected ones and duplicates left out) with an unmet deadline or an open task
    /// falling due within one of <paramref name="windows"/>, each with its deadlines and tasks:
    /// what the passing of time alone changes.
    /// </summary>
    Task<IReadOnlyList<IncidentSummary>> FallingDueAsync(IReadOnlyList<DueWindow> windows, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many incidents there are by status, severity and exercise: kept as incidents are written
    /// rather than counted when asked, so that it stays cheap enough to read on every metrics scrape.
    /// </summary>
    Task<IReadOnlyList<IncidentCount>> CountsAsync(CancellationToken cancellationToken = default);
}
