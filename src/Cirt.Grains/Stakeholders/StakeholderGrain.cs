using Cirt.Grains.Common;
using Cirt.Grains.Sectors;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Stakeholders;

public sealed class StakeholderGrain(
    [PersistentState("stakeholder", StorageNames.Cirt)] IPersistentState<StakeholderState> state,
    IStakeholderDirectory directory,
    CirtClock clock,
    ILogger<StakeholderGrain> logger) : Grain, IStakeholderGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<Stakeholder> CreateAsync(StakeholderProfile profile, string actor)
    {
        if (state.State.Stakeholder is not null)
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"Stakeholder '{Id}' already exists.", "stakeholder.id");
        }

        await EnsureSectorsExistAsync(profile.SectorCodes);
        var now = clock.GetUtcNow();
        var created = ToStakeholder(profile, version: 1, createdAt: now, now, actor);
        await SaveAsync(created, previousSectors: []);
        logger.LogInformation("Stakeholder {StakeholderId} created by {Actor}", Id, actor);
        return created;
    }

    public async Task<Stakeholder> UpdateAsync(StakeholderProfile profile, long expectedVersion, string actor)
    {
        var current = state.State.Stakeholder ?? throw CirtException.NotFound("Stakeholder", Id);
        Versioning.Check("Stakeholder", Id, expectedVersion, current.Version);
        await EnsureSectorsExistAsync(profile.SectorCodes);
        var updated = ToStakeholder(profile, current.Version + 1, current.CreatedAt, clock.GetUtcNow(), actor)
            with { VerificationRequestedAt = current.VerificationRequestedAt };
        await SaveAsync(updated, current.SectorCodes);
        logger.LogInformation("Stakeholder {StakeholderId} updated by {Actor} to version {Version}", Id, actor, updated.Version);
        return updated;
    }

    public Task<Stakeholder?> GetAsync() => Task.FromResult(state.State.Stakeholder);

    public async Task<Stakeholder> ConfirmContactsAsync(string actor)
    {
        var current = state.State.Stakeholder ?? throw CirtException.NotFound("Stakeholder", Id);
        var now = clock.GetUtcNow();
        var confirmed = current with
        {
            Contacts = current.Contacts.Select(c => c with { VerifiedAt = now }).ToArray(),
            VerificationRequestedAt = null,
            Version = current.Version + 1,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
        await SaveAsync(confirmed, current.SectorCodes);
        logger.LogInformation("Stakeholder {StakeholderId}: {Contacts} contact(s) confirmed by {Actor}", Id, confirmed.Contacts.Length, actor);
        return confirmed;
    }

    public async Task<Stakeholder> RequestVerificationAsync(string actor)
    {
        var current = state.State.Stakeholder ?? throw CirtException.NotFound("Stakeholder", Id);
        if (current.VerificationRequestedAt is not null)
        {
            return current;
        }

        var now = clock.GetUtcNow();
        var requested = current with { VerificationRequestedAt = now, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor };
        await SaveAsync(requested, current.SectorCodes);
        logger.LogInformation("Stakeholder {StakeholderId} asked by {Actor} to confirm its contacts", Id, actor);
        return requested;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Re-publish on activation so that the directory and the sectors catch up after a crash
        // between the state write and theirs (both writes are idempotent).
        if (state.State.Stakeholder is { } stakeholder)
        {
            await directory.UpsertAsync(stakeholder, cancellationToken);
            foreach (var code in stakeholder.SectorCodes)
            {
                await GrainFactory.GetGrain<ISectorGrain>(code).AddStakeholderAsync(Id);
            }
        }
    }

    private Stakeholder ToStakeholder(StakeholderProfile profile, long version, DateTimeOffset createdAt, DateTimeOffset now, string actor) =>
        new(Id, profile.Name, profile.Type, profile.SectorCodes.Distinct().Order(StringComparer.Ordinal).ToArray(),
            profile.Country, profile.Nis2EntityClass, profile.Contacts, profile.Constituency,
            version, createdAt, now, actor, TrustServiceProvider: profile.TrustServiceProvider);

    private async Task SaveAsync(Stakeholder stakeholder, string[] previousSectors)
    {
        state.State.Stakeholder = stakeholder;
        await state.WriteStateAsync();
        await directory.UpsertAsync(stakeholder);

        foreach (var left in previousSectors.Except(stakeholder.SectorCodes))
        {
            await GrainFactory.GetGrain<ISectorGrain>(left).RemoveStakeholderAsync(Id);
        }

        foreach (var joined in stakeholder.SectorCodes)
        {
            await GrainFactory.GetGrain<ISectorGrain>(joined).AddStakeholderAsync(Id);
        }
    }

    private async Task EnsureSectorsExistAsync(string[] sectorCodes)
    {
        foreach (var code in sectorCodes.Distinct())
        {
            if (await GrainFactory.GetGrain<ISectorGrain>(code).GetAsync() is null)
            {
                throw new CirtException(CirtErrorKind.NotFound, $"Sector '{code}' was not found.", "stakeholder.sector_codes");
            }
        }
    }
}
