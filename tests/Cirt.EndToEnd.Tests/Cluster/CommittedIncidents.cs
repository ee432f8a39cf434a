using System.Collections.Concurrent;
using Cirt.Contracts.V1;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// What the clients were told is committed: for each incident, the newest state an acknowledged
/// call answered with (its version, status and assignee) and how many notes were acknowledged.
/// Afterwards the incident's grain and the queue must show exactly that.
/// </summary>
public sealed class CommittedIncidents
{
    private readonly ConcurrentDictionary<string, Committed> _incidents = new();

    /// <summary>One incident as last acknowledged.</summary>
    public sealed record Committed(string TrackingId, string Title, IncidentStatus Status, long Version, string Assignee, int Notes);

    public int Count => _incidents.Count;

    public IReadOnlyCollection<Committed> All => [.. _incidents.Values];

    /// <summary>Records an acknowledged answer; an older version than the one recorded changes nothing.</summary>
    public void Acknowledged(Incident incident, bool noteAdded = false) =>
        _incidents.AddOrUpdate(
            incident.TrackingId,
            _ => new Committed(incident.TrackingId, incident.Title, incident.Status, incident.Version, incident.Assignee, noteAdded ? 1 : 0),
            (_, known) =>
            {
                var notes = known.Notes + (noteAdded ? 1 : 0);
                return incident.Version > known.Version
                    ? new Committed(incident.TrackingId, incident.Title, incident.Status, incident.Version, incident.Assignee, notes)
                    : known with { Notes = notes };
            });
}
