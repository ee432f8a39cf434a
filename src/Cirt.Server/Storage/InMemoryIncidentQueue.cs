using System.Collections.Concurrent;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Storage;

/// <summary>The incident queue of the memory profile (tests).</summary>
public sealed class InMemoryIncidentQueue : IIncidentQueue
{
    private readonly ConcurrentDictionary<string, IncidentSummary> _rows = new(StringComparer.Ordinal);

    public Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default)
    {
        _rows.AddOrUpdate(summary.TrackingId, summary, (_, old) => summary.Version >= old.Version ? summary : old);
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        var matching = _rows.Values.Where(query.Matches);
        var ordered = query.Order == IncidentOrder.MostSevereFirst
            ? matching.OrderByDescending(s => s.Severity).ThenByDescending(s => s.ReportedSeverity).ThenByDescending(s => s.ReportedAt)
                .ThenByDescending(s => s.TrackingId, StringComparer.Ordinal)
            : matching.OrderByDescending(s => s.ReportedAt).ThenByDescending(s => s.TrackingId, StringComparer.Ordinal);
        var all = ordered.Select(s => s with { Deadlines = [], Tasks = [] }).ToList();
        return Task.FromResult<(IReadOnlyList<IncidentSummary>, int)>((all.Skip(query.Offset).Take(query.Limit).ToArray(), all.Count));
    }

    public Task<(IReadOnlyList<DeadlineRow> Page, int Total)> DeadlinesAsync(DeadlineQuery query, CancellationToken cancellationToken = default)
    {
        var all = _rows.Values
            .SelectMany(s => s.Deadlines.Where(d => query.Matches(s, d)).Select(d => new DeadlineRow(s with { Deadlines = [], Tasks = [] }, d)))
            .OrderBy(r => r.Deadline.DueAt).ThenBy(r => r.Incident.TrackingId, StringComparer.Ordinal).ThenBy(r => r.Deadline.Kind)
            .ToList();
        return Task.FromResult<(IReadOnlyList<DeadlineRow>, int)>((all.Skip(query.Offset).Take(query.Limit).ToArray(), all.Count));
    }

    public Task<(IReadOnlyList<TaskRow> Page, int Total)> TasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        var all = _rows.Values
            .SelectMany(s => s.Tasks.Where(t => query.Matches(s, t)).Select(t => new TaskRow(s with { Deadlines = [], Tasks = [] }, t)))
            .OrderBy(r => r.Task.DueAt is null).ThenBy(r => r.Task.DueAt).ThenBy(r => r.Incident.TrackingId, StringComparer.Ordinal).ThenBy(r => r.Task.Number)
            .ToList();
        return Task.FromResult<(IReadOnlyList<TaskRow>, int)>((all.Skip(query.Offset).Take(query.Limit).ToArray(), all.Count));
    }
}
