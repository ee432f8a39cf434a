namespace Cirt.Grains.Incidents;

/// <summary>
/// Pending-projection marks: an incident grain marks a version before it stores it, and the read
/// model (<see cref="IIncidentQueue.UpsertAsync"/>) clears the incident's marks up to the version it
/// holds, in the transaction that writes it. A mark still there well after its write means the silo
/// stopped between storing the version and publishing it: a sweeper wakes the incident
/// (<see cref="IIncidentGrain.RepublishAsync"/>), which publishes what it has stored, so the read
/// model catches up without anyone touching the incident.
/// </summary>
public interface IProjectionMarks
{
    /// <summary>Marks that <paramref name="version"/> of the incident is about to be stored (and then published).</summary>
    Task MarkAsync(string trackingId, long version, CancellationToken cancellationToken = default);

    /// <summary>Drops the incident's marks of versions after <paramref name="storedVersion"/>: writes that were never stored.</summary>
    Task ClearUnstoredAsync(string trackingId, long storedVersion, CancellationToken cancellationToken = default);

    /// <summary>The incidents (at most <paramref name="limit"/>) with a mark made more than <paramref name="olderThan"/> ago.</summary>
    Task<IReadOnlyList<string>> StrandedAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken = default);
}
