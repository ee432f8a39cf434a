using Cirt.Grains.Incidents;

namespace Cirt.Server.Incidents;

/// <summary>The open WatchIncidents streams, which the <see cref="IncidentWatchFeed"/> pushes every change to.</summary>
public sealed class IncidentWatchers
{
    private readonly Lock _gate = new();
    private readonly HashSet<IncidentWatch> _watches = [];

    /// <summary>Whether no stream is open.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count == 0;
            }
        }
    }

    /// <summary>Opens a mailbox for a stream watching <paramref name="filter"/> (bounded to what its caller sees); disposing it closes it.</summary>
    public IncidentWatch Subscribe(IncidentQuery filter)
    {
        var watch = new IncidentWatch(filter, Unsubscribe);
        lock (_gate)
        {
            _watches.Add(watch);
        }

        return watch;
    }

    /// <summary>Pushes a changed incident to every stream it may concern.</summary>
    public void Publish(IncidentSummary incident)
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Push(incident);
            }
        }
    }

    private void Unsubscribe(IncidentWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }
}
