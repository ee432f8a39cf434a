using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;

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

    /// <summary>
    /// Queues, for each partner, what <paramref name="incident"/> owes it: its summary as it now stands
    /// (<see cref="ShareAction.Publish"/>, <paramref name="followUp"/> null), or a note or a status change
    /// (<see cref="ShareAction.Note"/>, <see cref="ShareAction.Status"/>, <paramref name="followUp"/> given).
    /// A follow-up on a foreign incident goes back to its origin, as that origin's item. Idempotent per
    /// partner, incident, version (for a follow-up, its id) and action.
    /// </summary>
    Task<ShareOutcome[]> ShareIncidentAsync(Incident incident, ShareAction action, IReadOnlyList<string> partnerIds, IncidentFollowUp? followUp, string actor);

    /// <summary>Where the messages stand now.</summary>
    Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds);
}
