using Cirt.Grains.Incidents;

namespace Cirt.Server.Storage;

/// <summary>
/// The pending-projection marks of the memory and embedded profiles: none are kept. In the memory
/// profile nothing outlives the process, so there is nothing to catch up. In the embedded profile
/// the grain state and the read model live in the one SQLite file of the one process: an incident
/// stored but not yet published when the process stopped is published again when it next activates
/// (<see cref="IncidentGrain"/> publishes on activation), by a call, or by its deadline reminder;
/// keeping marks there would cost every change a second turn of the file's single writer.
/// </summary>
public sealed class UnmarkedProjections : IProjectionMarks
{
    public Task MarkAsync(string trackingId, long version, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ClearUnstoredAsync(string trackingId, long storedVersion, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> StrandedAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
