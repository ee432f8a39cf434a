using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Server.Api;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// What an incident sends partners, in its wire form before the agreement takes anything out
/// (<see cref="SharingPolicy"/>): its summary (<see cref="SharedItems.Incident"/>), or a note or a
/// status change (<see cref="IncidentFollowUp"/>). A follow-up on a foreign incident goes back to its
/// origin as that origin's item, with us added to its route (the policy lets it return there).
/// </summary>
public static class IncidentPayloads
{
    /// <summary>
    /// The payload for <paramref name="action"/> on <paramref name="incident"/>, coming from
    /// <paramref name="localOrigin"/> (ours: this instance, the incident's tracking id and version).
    /// </summary>
    public static Proto.FederatedPayload For(Incident incident, ShareAction action, IncidentFollowUp? followUp, Proto.ItemOrigin localOrigin)
    {
        var payload = new Proto.FederatedPayload
        {
            Origin = OriginOf(incident, localOrigin),
            Kind = Proto.SharedItemKind.Incident,
            Action = (Proto.OutboxAction)(int)action,
        };
        switch (action, followUp)
        {
            case (ShareAction.Publish, null) when incident.PartnerOrigin is null:
                payload.Incident = SharedItems.Incident(incident);
                break;
            case (ShareAction.Note, { Action: ShareAction.Note } note):
                payload.Note = new Proto.SharedIncidentNote { NoteId = note.Id, Author = note.Author, Text = note.Text, At = CommonMapping.ToProto(note.At) };
                break;
            case (ShareAction.Status, { Action: ShareAction.Status, Status: { } status } change):
                payload.Status = new Proto.SharedIncidentStatus
                {
                    Status = CommonMapping.ToProto(status), Reason = change.Text, At = CommonMapping.ToProto(change.At), ChangeId = change.Id,
                };
                break;
            default:
                throw new ArgumentException(
                    $"Incident {incident.TrackingId}: a summary of one of ours, or a note or status change with its follow-up, is what travels; not {action}.", nameof(action));
        }

        return payload;
    }

    /// <summary>
    /// The outbox key of what <paramref name="incident"/> sends: its version and no note key for its
    /// summary; for a note or status change (<paramref name="followUp"/>), the version it was made in
    /// and its id, which stay the same however late it is handed over again.
    /// </summary>
    public static (long ItemVersion, string NoteKey) KeyOf(Incident incident, IncidentFollowUp? followUp) =>
        followUp is null ? (incident.Version, "") : (followUp.Version, followUp.Id);

    /// <summary>Ours: <paramref name="localOrigin"/>; a foreign incident: its origin, with this instance (the sender) last on its route.</summary>
    private static Proto.ItemOrigin OriginOf(Incident incident, Proto.ItemOrigin localOrigin)
    {
        if (incident.PartnerOrigin is not { } received)
        {
            return localOrigin;
        }

        var origin = new Proto.ItemOrigin
        {
            InstanceId = received.InstanceId, Country = received.Country, ItemId = received.ItemId, ItemVersion = received.ItemVersion,
        };
        origin.Route.Add(received.Route);
        origin.Route.Add(localOrigin.InstanceId);
        return origin;
    }
}
