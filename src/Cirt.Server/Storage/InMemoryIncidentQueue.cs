using System.Collections.Concurrent;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Storage;

/// <summary>The incident queue of the memory profile (tests).</summary>
public sealed class InMemoryIncidentQueue : IIncidentQueue
{
    private readonly ConcurrentDictionary<string, IncidentSummary> _rows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _changeNumbers = new(StringComparer.Ordinal);
    private readonly Lock _writer = new();
    private long _lastChange;

    public Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default)
    {
        // One writer at a time, as in the file: change numbers grow in the order rows are written.
        lock (_writer)
        {
            if (!_rows.TryGetValue(summary.TrackingId, out var old) || summary.Version >= old.Version)
            {
                _rows[summary.TrackingId] = summary;
                _changeNumbers[summary.TrackingId] = ++_lastChange;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IncidentChanges> ChangesAsync(long afterChange, int limit, CancellationToken cancellationToken = default)
    {
        lock (_writer)
        {
            var changed = _changeNumbers.Where(c => c.Value > afterChange).OrderBy(c => c.Value).Take(limit).ToArray();
            var more = limit > 0 && changed.Length == limit && changed[^1].Value < _lastChange;
            return Task.FromResult(new IncidentChanges(changed.Select(c => _rows[c.Key]).ToArray(), more ? changed[^1].Value : _lastChange, more));
        }
    }

    // The memory profile is for tests: counting its rows when asked is cheap enough.
    public Task<IReadOnlyList<IncidentCount>> CountsAsync(CancellationToken cancellationToken = default)
    {
        var counts = _rows.Values
            .GroupBy(s => (s.Status, s.Severity, s.Exercise))
            .Select(g => new IncidentCount(g.Key.Status, g.Key.Severity, g.Key.Exercise, g.LongCount()))
            .ToArray();
        return Task.FromResult<IReadOnlyList<IncidentCount>>(counts);
    }

    public Task<IReadOnlyList<IncidentSummary>> FallingDueAsync(IReadOnlyList<DueWindow> windows, CancellationToken cancellationToken = default)
    {
        var due = _rows.Values.Where(s =>
            s.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate)
            && (s.Deadlines.Any(d => d.MetAt is null && windows.Any(w => w.Contains(d.DueAt)))
                || s.Tasks.Any(t => t.IsOpen && t.DueAt is { } at && windows.Any(w => w.Contains(at)))));
        return Task.FromResult<IReadOnlyList<IncidentSummary>>(due.ToArray());
    }

    public Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        var matching = _rows.Values.Where(query.Matches);
        // Sorted by the same keys, to the same millisecond, as the file's indexes.
        var all = matching
            .Order(Comparer<IncidentSummary>.Create((a, b) => IncidentPosition.Compare(IncidentPosition.Of(a), IncidentPosition.Of(b), query.Order)))
            .Select(s => query.WithDeadlinesAndTasks ? s : s with { Deadlines = [], Tasks = [] })
            .ToList();
        return Task.FromResult<(IReadOnlyList<IncidentSummary>, int)>((all.Where(query.IsPast).Take(query.Limit).ToArray(), all.Count));
    }

    // The memory profile counts every total exactly.
    public Task<(IReadOnlyList<DeadlineRow> Page, int Total, bool TotalIsLowerBound)> DeadlinesAsync(DeadlineQuery query, CancellationToken cancellationToken = default)
    {
        var all = _rows.Values
            .SelectMany(s => s.Deadlines.Where(d => query.Matches(s, d)).Select(d => new DeadlineRow(s with { Deadlines = [], Tasks = [] }, d)))
            .Order(Comparer<DeadlineRow>.Create((a, b) => DeadlinePosition.Compare(DeadlinePosition.Of(a), DeadlinePosition.Of(b))))
            .ToList();
        return Task.FromResult<(IReadOnlyList<DeadlineRow>, int, bool)>((all.Where(query.IsPast).Take(query.Limit).ToArray(), all.Count, false));
    }

    public Task<(IReadOnlyList<TaskRow> Page, int Total, bool TotalIsLowerBound)> TasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        var all = _rows.Values
            .SelectMany(s => s.Tasks.Where(t => query.Matches(s, t)).Select(t => new TaskRow(s with { Deadlines = [], Tasks = [] }, t)))
            .Order(Comparer<TaskRow>.Create((a, b) => TaskPosition.Compare(TaskPosition.Of(a), TaskPosition.Of(b))))
            .ToList();
        return Task.FromResult<(IReadOnlyList<TaskRow>, int, bool)>((all.Where(query.IsPast).Take(query.Limit).ToArray(), all.Count, false));
    }
}
