using Cirt.Grains.Incidents;

namespace Cirt.Server.Incidents;

/// <summary>
/// What one watcher of the queue holds, and what a change means to it: the incidents sent to it
/// (tracking id and version), so that a change is told once, in order, as created, entered,
/// changed or left, and an older version (one the snapshot already carried newer) is not told at
/// all. The filter is the watcher's <see cref="IncidentQuery"/>, bounded to what it may see, so an
/// incident it may no longer see leaves like one that left the filter. At most
/// <paramref name="capacity"/> incidents are held, the longest-held forgotten first: a forgotten
/// incident that changes again enters again, and one that leaves meanwhile is not told. Safe to
/// use from the feed (<see cref="Concerns"/>) and the stream at once.
/// </summary>
public sealed class WatchedIncidents(IncidentQuery filter, int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>How many incidents are held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _versions.Count;
            }
        }
    }

    /// <summary>Whether a change to <paramref name="incident"/> may mean something to this watcher.</summary>
    public bool Concerns(IncidentSummary incident)
    {
        if (filter.Matches(incident))
        {
            return true;
        }

        lock (_gate)
        {
            return _versions.ContainsKey(incident.TrackingId);
        }
    }

    /// <summary>Forgets everything held and holds the incidents of a new snapshot instead.</summary>
    public void Reset(IEnumerable<IncidentSummary> snapshot)
    {
        lock (_gate)
        {
            _versions.Clear();
            _order.Clear();
            foreach (var incident in snapshot)
            {
                Hold(incident);
            }
        }
    }

    /// <summary>What the change to <paramref name="incident"/> means to this watcher; null when nothing (outside the filter and never held, or not newer than what it holds).</summary>
    public WatchChange? Observe(IncidentSummary incident)
    {
        var matches = filter.Matches(incident);
        lock (_gate)
        {
            var held = _versions.TryGetValue(incident.TrackingId, out var version);
            if (held && incident.Version <= version)
            {
                return null;
            }

            if (!matches)
            {
                if (!held)
                {
                    return null;
                }

                _versions.Remove(incident.TrackingId);
                return WatchChange.Left;
            }

            if (held)
            {
                _versions[incident.TrackingId] = incident.Version;
                return WatchChange.Changed;
            }

            Hold(incident);
            return incident.Version == 1 ? WatchChange.Created : WatchChange.Entered;
        }
    }

    private void Hold(IncidentSummary incident)
    {
        if (_versions.TryAdd(incident.TrackingId, incident.Version))
        {
            _order.Enqueue(incident.TrackingId);
        }
        else
        {
            _versions[incident.TrackingId] = Math.Max(_versions[incident.TrackingId], incident.Version);
        }

        // Ids that left are still queued; they are skipped when their turn to be forgotten comes.
        while (_versions.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _versions.Remove(oldest);
        }

        if (_order.Count > 2 * capacity)
        {
            var kept = _order.Where(_versions.ContainsKey).Distinct(StringComparer.Ordinal).ToArray();
            _order.Clear();
            foreach (var id in kept)
            {
                _order.Enqueue(id);
            }
        }
    }
}
