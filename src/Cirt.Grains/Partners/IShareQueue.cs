using Cirt.Grains.Advisories;

namespace Cirt.Grains.Partners;

/// <summary>
/// The durable outbox as grains see it (implemented by the server, which owns the wire form and the
/// sharing policy). Queueing is idempotent: the same item version, action and partner queue one
/// message however often they are asked for, so a grain that crashed between its own write and
/// this call simply asks again.
/// </summary>
public interface IShareQueue
{
    /// <summary>Queues <paramref name="advisory"/> as it now stands for each partner, as each agreement allows.</summary>
    Task<ShareOutcome[]> ShareAdvisoryAsync(Advisory advisory, ShareAction action, IReadOnlyList<string> partnerIds, string actor);

    /// <summary>Where the messages stand now.</summary>
    Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds);
}
