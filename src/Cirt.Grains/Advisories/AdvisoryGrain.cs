using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cirt.Grains.Advisories;

/// <summary>One advisory: applies <see cref="AdvisoryRules"/>, stores what they return, and keeps the reminder that chases silent recipients.</summary>
public sealed class AdvisoryGrain(
    [PersistentState("advisory", StorageNames.Cirt)] IPersistentState<AdvisoryState> state,
    CirtClock clock,
    IOptions<AdvisoryOptions> options,
    IOptions<DeadlineOptions> deadlineOptions,
    ILogger<AdvisoryGrain> logger) : Grain, IAdvisoryGrain, IRemindable
{
    /// <summary>The durable reminder that chases unacknowledged recipients.</summary>
    public const string ChaseReminder = "chase";

    private IGrainTimer? _rechase;

    private string Id => this.GetPrimaryKeyString();

    private Advisory Current => state.State.Advisory ?? throw CirtException.NotFound("Advisory", Id);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Advisory = state.State.Advisory?.WithListsPresent();
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
        var updated = await SaveAsync(current, AdvisoryRules.Update(current, content, recipients, expectedVersion, clock.GetUtcNow(), actor));
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
        var published = await SaveAsync(current, AdvisoryRules.Publish(current, recipients, expectedVersion, clock.GetUtcNow(), actor));
        logger.LogInformation("Advisory {AdvisoryId} published by {Actor} to {Recipients} stakeholder(s)", Id, actor, published.Recipients.Length);
        return published;
    }

    public async Task<Advisory> WithdrawAsync(string reason, string actor)
    {
        var current = Current;
        var withdrawn = await SaveAsync(current, AdvisoryRules.Withdraw(current, reason, clock.GetUtcNow(), actor));
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
