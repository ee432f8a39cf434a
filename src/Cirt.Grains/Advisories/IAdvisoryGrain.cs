using Cirt.Grains.Partners;

namespace Cirt.Grains.Advisories;

/// <summary>
/// One advisory, keyed by its id (e.g. "ADV-2026-0007"). Its rules are <see cref="AdvisoryRules"/>.
/// Changes that partner recipients must hear of are stored first, with a mark of what they are owed,
/// then handed to the outbox (<see cref="IShareQueue"/>); see <see cref="EnsureSharedAsync"/>.
/// </summary>
public interface IAdvisoryGrain : IGrainWithStringKey
{
    Task<Advisory?> GetAsync();

    Task<Advisory> CreateAsync(AdvisoryContent content, string actor);

    /// <summary>Changes a draft, or a published advisory (new recipients get it at once).</summary>
    Task<Advisory> UpdateAsync(AdvisoryContent content, string[] recipients, long expectedVersion, string actor);

    /// <summary>Publishes a draft to <paramref name="recipients"/> (worked out by the caller from the targets).</summary>
    Task<Advisory> PublishAsync(string[] recipients, long expectedVersion, string actor);

    Task<Advisory> WithdrawAsync(string reason, string actor);

    /// <summary>A recipient acknowledges; acknowledging twice changes nothing.</summary>
    Task<Advisory> AcknowledgeAsync(string stakeholderId, string actor);

    /// <summary>Adds partner recipients to a published advisory; those new to it get it through the outbox.</summary>
    Task<Advisory> ShareAsync(string[] partnerIds, string actor);

    /// <summary>
    /// A partner CIRT shared this advisory with us (first time: a draft here) or its origin changed it
    /// (applied when <paramref name="origin"/> is newer than what we hold). Resends change nothing.
    /// </summary>
    Task<Advisory> ReceiveAsync(AdvisoryContent content, ItemOrigin origin, DateTimeOffset publishedAt);

    /// <summary>The origin of a received advisory withdrew it; again changes nothing.</summary>
    Task<Advisory> ReceiveWithdrawalAsync(ItemOrigin origin, string reason, DateTimeOffset withdrawnAt);

    /// <summary>
    /// Hands to the outbox whatever partners are still owed (a change stored just before the process
    /// died, or while the outbox failed), and records what came of it. Null for an unknown advisory.
    /// </summary>
    Task<Advisory?> EnsureSharedAsync();
}
