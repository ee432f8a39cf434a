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

    private string Id => this.GetPrimaryKeyString();

    private Advisory Current => state.State.Advisory ?? throw CirtException.NotFound("Advisory", Id);

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

    public Task<Advisory> UpdateAsync(AdvisoryContent content, string[] recipients, long expectedVersion, string actor)
    {
        var current = Current;
        return SaveAsync(current, AdvisoryRules.Update(current, content, recipients, expectedVersion, clock.GetUtcNow(), actor));
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
    /// Stores <paramref name="next"/> unless it is <paramref name="current"/> unchanged, and keeps the
    /// chasing reminder (durable) exactly while someone is to be chased. The grain's state becomes
    /// <paramref name="next"/> only once it is written.
    /// </summary>
    private async Task<Advisory> SaveAsync(Advisory? current, Advisory next)
    {
        if (!ReferenceEquals(next, current))
        {
            state.State.Advisory = next;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Advisory = current;
                throw;
            }
        }

        await this.KeepWhileAsync(ChaseReminder, AdvisoryRules.NeedsChasing(next), deadlineOptions.Value.CheckPeriod);
        return next;
    }
}
