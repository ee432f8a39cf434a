using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cirt.Grains.Advisories;

/// <summary>
/// One advisory: applies <see cref="AdvisoryRules"/>, stores what they return, keeps the reminder that
/// chases silent recipients, and hands what partner recipients are owed (<see cref="AdvisoryShares"/>)
/// to the outbox once the change that owes it is stored.
/// </summary>
public sealed class AdvisoryGrain(
    [PersistentState("advisory", StorageNames.Cirt)] IPersistentState<AdvisoryState> state,
    CirtClock clock,
    IOptions<AdvisoryOptions> options,
    IOptions<DeadlineOptions> deadlineOptions,
    IShareQueue outbox,
    ILogger<AdvisoryGrain> logger) : Grain, IAdvisoryGrain, IRemindable
{
    /// <summary>The durable reminder that chases unacknowledged recipients.</summary>
    public const string ChaseReminder = "chase";

    private IGrainTimer? _rechase;
    private IGrainTimer? _reshare;

    private string Id => this.GetPrimaryKeyString();

    private Advisory Current => state.State.Advisory ?? throw CirtException.NotFound("Advisory", Id);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Advisory = state.State.Advisory?.WithListsPresent();
        KeepSharing();
        return Task.CompletedTask;
    }

    public Task<Advisory?> GetAsync() => Task.FromResult(state.State.Advisory);

    public async Task<Advisory> CreateAsync(AdvisoryContent content, string actor)
    {
        if (state.State.Advisory is not null)
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"Advisory '{Id}' already exists.");
        }

        var advisory = await SaveAsync(null, AdvisoryRules.Draft(Id, content, clock.GetUtcNow(), actor));
        logger.LogInformation("Advisory {AdvisoryId} drafted by {Actor}", Id, actor);
        return advisory;
    }

    public async Task<Advisory> UpdateAsync(AdvisoryContent content, string[] recipients, long expectedVersion, string actor)
    {
        var current = Current;
        var updated = await SaveAndShareAsync(current, AdvisoryRules.Update(current, content, recipients, expectedVersion, clock.GetUtcNow(), actor), actor);
        var takenOff = updated.FormerRecipients.Where(f => f.RemovedAt == updated.UpdatedAt && f.LastVersion == current.Version).Select(f => f.StakeholderId).ToArray();
        if (takenOff.Length > 0)
        {
            logger.LogInformation("Advisory {AdvisoryId} updated by {Actor} to version {Version}; no longer addressed to {TakenOff}, who keep version {Kept}",
                Id, actor, updated.Version, takenOff, current.Version);
        }

        return updated;
    }

    public async Task<Advisory> PublishAsync(string[] recipients, long expectedVersion, string actor)
    {
        var current = Current;
        var published = await SaveAndShareAsync(current, AdvisoryRules.Publish(current, recipients, expectedVersion, clock.GetUtcNow(), actor), actor);
        logger.LogInformation("Advisory {AdvisoryId} published by {Actor} to {Recipients} stakeholder(s)", Id, actor, published.Recipients.Length);
        return published;
    }

    public async Task<Advisory> WithdrawAsync(string reason, string actor)
    {
        var current = Current;
        var withdrawn = await SaveAndShareAsync(current, AdvisoryRules.Withdraw(current, reason, clock.GetUtcNow(), actor), actor);
        if (!ReferenceEquals(withdrawn, current))
        {
            logger.LogInformation("Advisory {AdvisoryId} withdrawn by {Actor}: {Reason}", Id, actor, reason);
        }

        return withdrawn;
    }

    public Task<Advisory> AcknowledgeAsync(string stakeholderId, string actor)
    {
        var current = Current;
        return SaveAsync(current, AdvisoryRules.Acknowledge(current, stakeholderId, clock.GetUtcNow(), actor));
    }

    public async Task<Advisory> ShareAsync(string[] partnerIds, string actor)
    {
        var current = Current;
        var next = AdvisoryRules.Share(current, partnerIds, clock.GetUtcNow(), actor);
        var due = AdvisoryShares.OnShare(current, partnerIds, actor);
        if (due.Length == 0)
        {
            return current;
        }

        var shared = await SaveAndShareAsync(current, next with { PendingShares = AdvisoryShares.Merge(next.PendingShares, due) }, actor);
        logger.LogInformation("Advisory {AdvisoryId} shared by {Actor} with {Partners}", Id, actor, due.Select(d => d.PartnerId).ToArray());
        return shared;
    }

    public async Task<Advisory> ReceiveAsync(AdvisoryContent content, ItemOrigin origin, DateTimeOffset publishedAt)
    {
        var current = state.State.Advisory;
        var received = await SaveAndShareAsync(current, AdvisoryRules.Receive(Id, current, content, origin, publishedAt, clock.GetUtcNow()), AdvisoryRules.ReceivedBy(origin));
        if (ReferenceEquals(received, current))
        {
            logger.LogInformation("Advisory {AdvisoryId}: version {OriginVersion} of {OriginItemId} from {Origin} (via {Sender}) changes nothing here",
                Id, origin.ItemVersion, origin.ItemId, origin.InstanceId, origin.ReceivedFrom);
        }
        else
        {
            logger.LogInformation("Advisory {AdvisoryId} received: version {OriginVersion} of {OriginItemId} from {Origin} (via {Sender})",
                Id, origin.ItemVersion, origin.ItemId, origin.InstanceId, origin.ReceivedFrom);
        }

        return received;
    }

    public async Task<Advisory> ReceiveWithdrawalAsync(ItemOrigin origin, string reason, DateTimeOffset withdrawnAt)
    {
        var current = state.State.Advisory;
        var withdrawn = await SaveAndShareAsync(
            current, AdvisoryRules.ReceiveWithdrawal(Id, current, origin, reason, withdrawnAt, clock.GetUtcNow()), AdvisoryRules.ReceivedBy(origin));
        if (!ReferenceEquals(withdrawn, current))
        {
            logger.LogInformation("Advisory {AdvisoryId} withdrawn by its origin {Origin} (via {Sender}): {Reason}", Id, origin.InstanceId, origin.ReceivedFrom, reason);
        }

        return withdrawn;
    }

    public async Task<Advisory?> EnsureSharedAsync() => await ShareOwedAsync();

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ChaseReminder || state.State.Advisory is not { } current)
        {
            return;
        }

        var chased = AdvisoryRules.Chase(current, clock.GetUtcNow(), options.Value.ChaseAfter, out var stakeholders);
        await SaveAsync(current, chased);
        foreach (var stakeholder in stakeholders)
        {
            logger.LogWarning("Advisory {AdvisoryId} not acknowledged by {Stakeholder}: re-notified", Id, stakeholder);
        }
    }

    /// <summary>
    /// Stores <paramref name="next"/> (see <see cref="SaveAsync"/>) together with what the change owes
    /// partners (<see cref="AdvisoryShares.Due"/>), then hands that to the outbox. The change stands
    /// once stored: if the outbox fails, the caller still gets the stored advisory, and what is owed
    /// stays marked until it is handed over.
    /// </summary>
    private async Task<Advisory> SaveAndShareAsync(Advisory? current, Advisory next, string actor)
    {
        if (!ReferenceEquals(next, current) && AdvisoryShares.Due(current, next, actor) is { Length: > 0 } due)
        {
            next = next with { PendingShares = AdvisoryShares.Merge(next.PendingShares, due) };
        }

        var stored = await SaveAsync(current, next);
        return stored.PendingShares.Length == 0 ? stored : await ShareOwedAsync() ?? stored;
    }

    /// <summary>
    /// Hands what partners are owed to the outbox, one call per action, and stores what came of it.
    /// Queueing is idempotent, so handing over again after a failure does no harm. On failure what is
    /// still owed stays marked, and a timer tries again while the grain is active (the server's sweep
    /// at start, and the next activation, take over after that).
    /// </summary>
    private async Task<Advisory?> ShareOwedAsync()
    {
        if (state.State.Advisory is not { PendingShares.Length: > 0 } advisory)
        {
            KeepSharing();
            return state.State.Advisory;
        }

        var queued = new List<PendingShare>();
        var outcomes = new List<ShareOutcome>();
        try
        {
            foreach (var owed in advisory.PendingShares.GroupBy(p => (p.Action, p.Actor)))
            {
                outcomes.AddRange(await outbox.ShareAdvisoryAsync(advisory, owed.Key.Action, owed.Select(p => p.PartnerId).ToArray(), owed.Key.Actor));
                queued.AddRange(owed);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Advisory {AdvisoryId}: version {Version} could not be handed to the outbox for {Partners}; trying again",
                Id, advisory.Version, advisory.PendingShares.Except(queued).Select(p => p.PartnerId).ToArray());
        }

        if (queued.Count > 0)
        {
            try
            {
                await SaveAsync(advisory, AdvisoryShares.Recorded(advisory, queued, outcomes));
                logger.LogInformation("Advisory {AdvisoryId}: version {Version} queued for {Partners}", Id, advisory.Version, queued.Select(p => p.PartnerId).ToArray());
            }
            catch (Exception ex)
            {
                // The grain deactivates (it reloads the marks with its state) or another write won:
                // what is owed is handed over again then; the outbox takes it once.
                logger.LogError(ex, "Advisory {AdvisoryId}: what the outbox took for version {Version} could not be recorded; it is handed over again later", Id, advisory.Version);
                return advisory;
            }
        }

        KeepSharing();
        return state.State.Advisory;
    }

    /// <summary>Keeps a timer that hands over what partners are owed while anything is, and drops it after.</summary>
    private void KeepSharing()
    {
        if (state.State.Advisory is { PendingShares.Length: > 0 })
        {
            _reshare ??= this.RegisterGrainTimer(ShareOwedAsync, deadlineOptions.Value.CheckPeriod, deadlineOptions.Value.CheckPeriod);
        }
        else
        {
            _reshare?.Dispose();
            _reshare = null;
        }
    }

    /// <summary>
    /// Stores <paramref name="next"/> unless it is <paramref name="current"/> unchanged, then keeps the
    /// chasing reminder exactly while someone is to be chased. The grain's state becomes
    /// <paramref name="next"/> only once it is written: a failed write leaves the grain as it was (it
    /// deactivates and reloads) and the caller learns that nothing was changed
    /// (<see cref="ChangeNotStoredException"/>). A stored change is never reported as failed.
    /// </summary>
    private async Task<Advisory> SaveAsync(Advisory? current, Advisory next)
    {
        if (ReferenceEquals(next, current))
        {
            await KeepChasingAsync();
            return next;
        }

        state.State.Advisory = next;
        await state.WriteOrUndoAsync(
            this,
            undo: () => state.State.Advisory = current,
            logNotStored: ex => logger.LogError(ex, "Advisory {AdvisoryId}: version {Version} could not be stored; nothing changed", Id, next.Version),
            notStored: current is null
                ? $"Advisory {Id} could not be stored, so it was not created. Try again shortly."
                : $"Advisory {Id}: the change could not be stored, so nothing was changed (it stays at version {current.Version}). Try again shortly.");

        await KeepChasingAsync();
        return next;
    }

    /// <summary>
    /// Keeps the durable chasing reminder while someone is to be chased, and drops it after. The
    /// advisory is stored already: when the reminder table fails, a timer tries again until it works.
    /// </summary>
    private async Task KeepChasingAsync()
    {
        try
        {
            await this.KeepWhileAsync(ChaseReminder, state.State.Advisory is { } advisory && AdvisoryRules.NeedsChasing(advisory), deadlineOptions.Value.CheckPeriod);
            _rechase?.Dispose();
            _rechase = null;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Advisory {AdvisoryId}: its chasing reminder could not be kept; trying again", Id);
            _rechase ??= this.RegisterGrainTimer(KeepChasingAsync, deadlineOptions.Value.CheckPeriod, deadlineOptions.Value.CheckPeriod);
        }
    }
}
