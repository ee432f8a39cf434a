using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cirt.Grains.Advisories;

[GenerateSerializer]
[Alias("cirt.AdvisoryState")]
public sealed class AdvisoryState
{
    [Id(0)]
    public Advisory? Advisory { get; set; }
}

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

        var now = clock.GetUtcNow();
        var advisory = new Advisory(Id, content, AdvisoryStatus.Draft, 1, now, actor, now, actor, null, null, "", []);
        await SaveAsync(advisory);
        logger.LogInformation("Advisory {AdvisoryId} drafted by {Actor}", Id, actor);
        return advisory;
    }

    public async Task<Advisory> UpdateAsync(AdvisoryContent content, string[] recipients, long expectedVersion, string actor)
    {
        var current = Current;
        Versioning.Check("Advisory", Id, expectedVersion, current.Version);
        if (current.Status == AdvisoryStatus.Withdrawn)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {Id} was withdrawn; write a new one.");
        }

        var now = clock.GetUtcNow();
        var updated = current with
        {
            Content = content,
            Version = current.Version + 1,
            UpdatedAt = now,
            UpdatedBy = actor,
            Recipients = current.Status == AdvisoryStatus.Published ? Deliver(current.Recipients, recipients, now) : current.Recipients,
        };
        await SaveAsync(updated);
        await ChaseIfNeededAsync(updated);
        return updated;
    }

    public async Task<Advisory> PublishAsync(string[] recipients, long expectedVersion, string actor)
    {
        var current = Current;
        Versioning.Check("Advisory", Id, expectedVersion, current.Version);
        if (current.Status != AdvisoryStatus.Draft)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {Id} is {current.Status}; only a draft is published.");
        }

        var now = clock.GetUtcNow();
        var published = current with
        {
            Status = AdvisoryStatus.Published,
            PublishedAt = now,
            Version = current.Version + 1,
            UpdatedAt = now,
            UpdatedBy = actor,
            Recipients = Deliver([], recipients, now),
        };
        await SaveAsync(published);
        await ChaseIfNeededAsync(published);
        logger.LogInformation("Advisory {AdvisoryId} published by {Actor} to {Recipients} stakeholder(s)", Id, actor, published.Recipients.Length);
        return published;
    }

    public async Task<Advisory> WithdrawAsync(string reason, string actor)
    {
        var current = Current;
        if (current.Status == AdvisoryStatus.Withdrawn)
        {
            return current;
        }

        var now = clock.GetUtcNow();
        var withdrawn = current with
        {
            Status = AdvisoryStatus.Withdrawn, WithdrawnAt = now, WithdrawReason = reason, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor,
        };
        await SaveAsync(withdrawn);
        await ChaseIfNeededAsync(withdrawn);
        logger.LogInformation("Advisory {AdvisoryId} withdrawn by {Actor}: {Reason}", Id, actor, reason);
        return withdrawn;
    }

    public async Task<Advisory> AcknowledgeAsync(string stakeholderId, string actor)
    {
        var current = Current;
        var recipient = current.Status == AdvisoryStatus.Published ? current.Recipients.FirstOrDefault(r => r.StakeholderId == stakeholderId) : null;
        if (recipient is null)
        {
            throw CirtException.NotFound("Advisory", Id);
        }

        if (recipient.AcknowledgedAt is not null)
        {
            return current;
        }

        var now = clock.GetUtcNow();
        var acknowledged = current with
        {
            Recipients = current.Recipients.Select(r => r.StakeholderId == stakeholderId ? r with { AcknowledgedAt = now, AcknowledgedBy = actor } : r).ToArray(),
        };
        await SaveAsync(acknowledged);
        await ChaseIfNeededAsync(acknowledged);
        return acknowledged;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ChaseReminder || state.State.Advisory is not { } current)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var chaseAfter = options.Value.ChaseAfter;
        var due = current.Status == AdvisoryStatus.Published
            ? current.Recipients.Where(r => r.AcknowledgedAt is null && now - (r.LastRemindedAt ?? r.DeliveredAt) >= chaseAfter).Select(r => r.StakeholderId).ToHashSet()
            : [];
        if (due.Count > 0)
        {
            var chased = current with
            {
                Recipients = current.Recipients.Select(r => due.Contains(r.StakeholderId) ? r with { Reminders = r.Reminders + 1, LastRemindedAt = now } : r).ToArray(),
            };
            await SaveAsync(chased);
            foreach (var stakeholder in due)
            {
                logger.LogWarning("Advisory {AdvisoryId} not acknowledged by {Stakeholder}: re-notified", Id, stakeholder);
            }

            current = chased;
        }

        await ChaseIfNeededAsync(current);
    }

    private static AdvisoryRecipient[] Deliver(AdvisoryRecipient[] existing, string[] recipients, DateTimeOffset now) =>
        [.. existing, .. recipients.Distinct().Where(id => existing.All(r => r.StakeholderId != id)).Select(id => new AdvisoryRecipient(id, now, null, "", 0, null))];

    /// <summary>Keeps the chasing reminder (durable) while a recipient of a published advisory has not acknowledged.</summary>
    private async Task ChaseIfNeededAsync(Advisory advisory)
    {
        var chase = advisory.Status == AdvisoryStatus.Published && advisory.Recipients.Any(r => r.AcknowledgedAt is null);
        await this.KeepWhileAsync(ChaseReminder, chase, deadlineOptions.Value.CheckPeriod);
    }

    private async Task SaveAsync(Advisory advisory)
    {
        state.State.Advisory = advisory;
        await state.WriteStateAsync();
    }
}
