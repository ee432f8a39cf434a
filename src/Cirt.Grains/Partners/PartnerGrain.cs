using Cirt.Grains.Common;
using Cirt.Grains.Sectors;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Partners;

/// <summary>One partner CIRT: applies <see cref="PartnerRules"/> and stores what they return.</summary>
public sealed class PartnerGrain(
    [PersistentState("partner", StorageNames.Cirt)] IPersistentState<PartnerState> state,
    CirtClock clock,
    ILogger<PartnerGrain> logger) : Grain, IPartnerGrain
{
    private string Id => this.GetPrimaryKeyString();

    private Partner Current => state.State.Partner ?? throw CirtException.NotFound("Partner", Id);

    public Task<Partner?> GetAsync() => Task.FromResult(state.State.Partner);

    public async Task<Partner> RegisterAsync(PartnerRegistration registration, string actor)
    {
        if (state.State.Partner is not null)
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"Partner '{Id}' is registered already.", "id");
        }

        var partner = PartnerRules.Register(Id, registration, clock.GetUtcNow(), actor);
        await EnsureSectorsExistAsync(partner.Agreement);
        // In the catalog first: a catalog entry whose partner was never stored is skipped by readers,
        // while a stored partner missing from the catalog would never be listed.
        await GrainFactory.GetGrain<IPartnerCatalogGrain>(IPartnerCatalogGrain.Key).AddAsync(Id);
        await SaveAsync(null, partner);
        logger.LogInformation("Partner {PartnerId} ({Country}) registered by {Actor}, key {Fingerprint}", Id, partner.Country, actor, partner.Keys[0].Fingerprint);
        return partner;
    }

    public async Task<Partner> UpdateAgreementAsync(SharingAgreement agreement, long expectedVersion, string actor)
    {
        var current = Current;
        var updated = PartnerRules.UpdateAgreement(current, agreement, expectedVersion, clock.GetUtcNow(), actor);
        await EnsureSectorsExistAsync(updated.Agreement);
        await SaveAsync(current, updated);
        logger.LogInformation("Partner {PartnerId}: agreement replaced by {Actor} (version {Version}, up to TLP {MaxTlp})", Id, actor, updated.Version, updated.Agreement.MaxTlp);
        return updated;
    }

    public async Task<Partner> UpdateEndpointAsync(string endpointUrl, string outboundApiKey, long expectedVersion, string actor)
    {
        var current = Current;
        var updated = await SaveAsync(current, PartnerRules.UpdateEndpoint(current, endpointUrl, outboundApiKey, expectedVersion, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(updated, current))
        {
            logger.LogInformation("Partner {PartnerId}: endpoint set to {EndpointUrl} by {Actor}{KeyChanged}", Id, updated.EndpointUrl, actor,
                updated.OutboundApiKey != current.OutboundApiKey ? ", with a new key to call it" : "");
        }

        return updated;
    }

    public async Task<Partner> AddKeyAsync(string publicKeyPem, TimeSpan overlap, string actor)
    {
        var current = Current;
        var updated = await SaveAsync(current, PartnerRules.AddKey(current, publicKeyPem, overlap, clock.GetUtcNow(), actor));
        logger.LogInformation("Partner {PartnerId}: key {Fingerprint} added by {Actor}; older keys valid for {Overlap} more",
            Id, updated.Keys[^1].Fingerprint, actor, overlap);
        return updated;
    }

    public async Task<Partner> SuspendAsync(string reason, string actor)
    {
        var current = Current;
        var suspended = await SaveAsync(current, PartnerRules.Suspend(current, reason, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(suspended, current))
        {
            logger.LogWarning("Partner {PartnerId} suspended by {Actor}: {Reason}", Id, actor, suspended.SuspendReason);
        }

        return suspended;
    }

    public async Task<Partner> ResumeAsync(string actor)
    {
        var current = Current;
        var resumed = await SaveAsync(current, PartnerRules.Resume(current, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(resumed, current))
        {
            logger.LogInformation("Partner {PartnerId} resumed by {Actor}", Id, actor);
        }

        return resumed;
    }

    /// <summary>
    /// Stores <paramref name="next"/> unless it is <paramref name="current"/> unchanged. The grain's state
    /// becomes <paramref name="next"/> only once it is written: a failed write leaves the grain as it was.
    /// </summary>
    private async Task<Partner> SaveAsync(Partner? current, Partner next)
    {
        if (ReferenceEquals(next, current))
        {
            return next;
        }

        state.State.Partner = next;
        await state.WriteOrUndoAsync(
            this,
            undo: () => state.State.Partner = current,
            logNotStored: ex => logger.LogError(ex, "Partner {PartnerId}: version {Version} could not be stored; nothing changed", Id, next.Version),
            notStored: current is null
                ? $"Partner {Id} could not be stored, so it was not registered. Try again shortly."
                : $"Partner {Id}: the change could not be stored, so nothing was changed (it stays at version {current.Version}). Try again shortly.");
        return next;
    }

    private async Task EnsureSectorsExistAsync(SharingAgreement agreement)
    {
        foreach (var code in agreement.Sectors)
        {
            if (await GrainFactory.GetGrain<ISectorGrain>(code).GetAsync() is null)
            {
                throw new CirtException(CirtErrorKind.NotFound, $"Sector '{code}' was not found.", "agreement.sectors");
            }
        }
    }
}
