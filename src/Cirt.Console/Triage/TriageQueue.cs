using Cirt.Contracts.V1;

namespace Cirt.Console.Triage;

/// <summary>
/// The queue as a WatchIncidents stream tells it, for the live screen: the snapshot, then every
/// change, most urgent first (highest severity, the CIRT's or else the reporter's claim, then the
/// soonest unmet deadline, then newest), with the row the analyst has selected. Thread-safe: the
/// stream fills it while the screen reads it.
/// </summary>
public sealed class TriageQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WatchIncidentsResponse> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WatchIncidentsResponse> _snapshot = new(StringComparer.Ordinal);
    private string? _selected;
    private bool _current;

    /// <summary>Whether the first snapshot has been received whole.</summary>
    public bool IsCurrent
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Takes one event of the stream in.</summary>
    public void Apply(WatchIncidentsResponse change)
    {
        lock (_gate)
        {
            switch (change.Kind)
            {
                case WatchEventKind.Snapshot:
                    _snapshot[change.TrackingId] = change;
                    break;
                case WatchEventKind.Current:
                    _rows.Clear();
                    foreach (var (id, row) in _snapshot)
                    {
                        _rows[id] = row;
                    }

                    _snapshot.Clear();
                    _current = true;
                    break;
                case WatchEventKind.Left:
                    _rows.Remove(change.TrackingId);
                    break;
                case WatchEventKind.Created or WatchEventKind.Entered or WatchEventKind.Changed:
                    if (!_rows.TryGetValue(change.TrackingId, out var held) || held.Version <= change.Version)
                    {
                        _rows[change.TrackingId] = change;
                    }

                    break;
            }
        }
    }

    /// <summary>The rows, most urgent first, as of <paramref name="now"/>.</summary>
    public IReadOnlyList<WatchIncidentsResponse> Rows(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _rows.Values
                .OrderByDescending(r => (int)Rank(r.Incident))
                .ThenBy(r => NextDeadline(r)?.DueAt.ToDateTimeOffset() ?? DateTimeOffset.MaxValue)
                .ThenByDescending(r => r.Incident.ReportedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
                .ThenBy(r => r.TrackingId, StringComparer.Ordinal)
                .ToArray();
        }
    }

    /// <summary>The selected row (the first row when none was chosen or it left).</summary>
    public WatchIncidentsResponse? Selected(DateTimeOffset now)
    {
        var rows = Rows(now);
        lock (_gate)
        {
            return rows.FirstOrDefault(r => r.TrackingId == _selected) ?? rows.FirstOrDefault();
        }
    }

    /// <summary>Moves the selection by <paramref name="delta"/> rows, staying within the queue.</summary>
    public void Move(int delta, DateTimeOffset now)
    {
        var rows = Rows(now);
        if (rows.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var at = Math.Max(0, rows.ToList().FindIndex(r => r.TrackingId == _selected));
            _selected = rows[Math.Clamp(at + delta, 0, rows.Count - 1)].TrackingId;
        }
    }

    /// <summary>How an incident ranks: the CIRT's severity, or before triage the reporter's claim.</summary>
    public static Severity Rank(IncidentSummary incident) =>
        incident.Severity != Severity.Unspecified ? incident.Severity : incident.ReportedSeverity;

    /// <summary>The soonest deadline not yet met, if any.</summary>
    public static Deadline? NextDeadline(WatchIncidentsResponse row) =>
        row.Deadlines.Where(d => d.MetAt is null && d.DueAt is not null).OrderBy(d => d.DueAt.ToDateTimeOffset()).FirstOrDefault();
}
