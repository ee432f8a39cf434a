using Cirt.Grains.Partners;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Hands what an incident owes partners (<see cref="Incident.PendingShares"/>) to the outbox, one call
/// per message (a summary, a note, a status change) for all the partners it goes to. It stops at the
/// first call that fails: what was not handed over stays owed, and handing over again does no harm
/// (the outbox takes each message once).
/// </summary>
public static class IncidentShareHandover
{
    /// <returns>What the outbox took, and what came of the summaries among it, per partner.</returns>
    public static async Task<(IReadOnlyCollection<IncidentPendingShare> Handed, IReadOnlyCollection<ShareOutcome> Summaries)> HandOverAsync(
        IShareQueue outbox, Incident incident, ILogger logger)
    {
        var handed = new List<IncidentPendingShare>();
        var summaries = new List<ShareOutcome>();
        try
        {
            foreach (var owed in incident.PendingShares.GroupBy(p => (p.Action, p.Actor, p.Sequence, p.Status, p.Version)))
            {
                var outcomes = await outbox.ShareIncidentAsync(
                    incident, owed.Key.Action, owed.Select(p => p.PartnerId).ToArray(), IncidentSharing.FollowUpOf(incident, owed.First()), owed.Key.Actor);
                handed.AddRange(owed);
                if (owed.Key.Action == ShareAction.Publish)
                {
                    summaries.AddRange(outcomes);
                }

                foreach (var refused in outcomes.Where(o => o.MessageId.Length == 0))
                {
                    logger.LogWarning("Incident {IncidentId}: {Action} not shared with {Partner}: {Reason}", incident.TrackingId, owed.Key.Action, refused.PartnerId, refused.RefusedReason);
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Incident {IncidentId}: what version {Version} owes {Partners} could not be handed to the outbox; it is handed over again later",
                incident.TrackingId, incident.Version, incident.PendingShares.Except(handed).Select(p => p.PartnerId).Distinct().ToArray());
        }

        return (handed, summaries);
    }
}
