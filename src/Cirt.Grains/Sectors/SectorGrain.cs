using Cirt.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Sectors;

public sealed class SectorGrain(
    [PersistentState("sector", StorageNames.Cirt)] IPersistentState<SectorState> state,
    CirtClock clock,
    ILogger<SectorGrain> logger) : Grain, ISectorGrain
{
    private string Code => this.GetPrimaryKeyString();

    public async Task<Sector> CreateAsync(SectorDefinition definition, string actor)
    {
        if (state.State.Definition is not null)
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"Sector '{Code}' already exists.", "sector.code");
        }

        // Catalog first: a listing skips a catalogued code whose sector never got stored, whereas a
        // stored sector missing from the catalog would be invisible.
        await GrainFactory.GetGrain<ISectorCatalogGrain>(ISectorCatalogGrain.Key).AddAsync(Code);
        state.State.Definition = definition;
        state.State.Version = 1;
        state.State.UpdatedAt = clock.GetUtcNow();
        state.State.UpdatedBy = actor;
        await state.WriteStateAsync();
        logger.LogInformation("Sector {SectorCode} created by {Actor}", Code, actor);
        return Snapshot()!;
    }

    public async Task<Sector> UpdateAsync(SectorDefinition definition, long expectedVersion, string actor)
    {
        if (state.State.Definition is null)
        {
            throw CirtException.NotFound("Sector", Code);
        }

        Versioning.Check("Sector", Code, expectedVersion, state.State.Version);
        state.State.Definition = definition;
        state.State.Version++;
        state.State.UpdatedAt = clock.GetUtcNow();
        state.State.UpdatedBy = actor;
        await state.WriteStateAsync();
        logger.LogInformation("Sector {SectorCode} updated by {Actor}", Code, actor);
        return Snapshot()!;
    }

    public Task<Sector?> GetAsync() => Task.FromResult(Snapshot());

    public async Task AddStakeholderAsync(string stakeholderId)
    {
        if (state.State.StakeholderIds.Add(stakeholderId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveStakeholderAsync(string stakeholderId)
    {
        if (state.State.StakeholderIds.Remove(stakeholderId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<Sector> SetManualAlertAsync(int? level, string reason, string actor)
    {
        if (state.State.Definition is null)
        {
            throw CirtException.NotFound("Sector", Code);
        }

        state.State.ManualAlert = level is { } l ? new ManualAlert(l, reason, clock.GetUtcNow(), actor) : null;
        await state.WriteStateAsync();
        logger.LogWarning("Sector {SectorCode} alert level {Action} by {Actor}: {Level} ({Reason})",
            Code, level is null ? "cleared" : "set", actor, level, reason);
        return Snapshot()!;
    }

    private Sector? Snapshot() => state.State.Definition is { } definition
        ? new Sector(Code, definition, state.State.StakeholderIds.ToArray(), state.State.Version, state.State.UpdatedAt, state.State.UpdatedBy, state.State.ManualAlert)
        : null;
}
