using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>
/// Applies what partner CIRTs deliver about incidents (after FederationService/Deliver has verified
/// the message): an incident its origin shares opens a foreign incident here, under one tracking id
/// of ours per origin item, and a newer version updates it (<see cref="IncidentSharing.Open"/>,
/// <see cref="IncidentSharing.Update"/>); a note or status change applies, once per id, to the foreign
/// incident of its origin, or to one of ours shared with the sender (<see cref="IncidentSharing.ReceiveFollowUp"/>).
/// Everything is checked as a request would be and refused with a <see cref="CirtException"/>,
/// which Deliver records and answers with its status.
/// </summary>
public sealed class IncidentReceiver(IGrainFactory grains, CirtClock clock, IOptions<FederationOptions> federation, ILogger<IncidentReceiver> logger)
    : IFederatedItemReceiver
{
    /// <summary>The longest note or status text taken: a note's length.</summary>
    public const int MaxTextLength = Limits.NoteLength;

    public SharedItemKind Kind => SharedItemKind.Incident;

    public async Task ApplyAsync(Proto.FederatedPayload payload, string senderPartnerId, CancellationToken cancellationToken)
    {
        var origin = ItemOriginMapping.ToDomain(payload.Origin, senderPartnerId);
        switch (payload.Action, payload.ItemCase)
        {
            case (Proto.OutboxAction.Publish, Proto.FederatedPayload.ItemOneofCase.Incident):
            {
                if (origin.InstanceId != senderPartnerId)
                {
                    throw new CirtException(CirtErrorKind.PermissionDenied,
                        $"Incident {origin.ItemId} is {origin.InstanceId}'s: only its origin shares an incident, and {senderPartnerId} passing it on is not taken.");
                }

                var shared = Checked(v => ToDomain(v, payload.Incident));
                var incident = await grains.GetGrain<IForeignIncidentGrain>(ForeignIncidentGrain.KeyFor(origin.InstanceId, origin.ItemId)).ReceiveAsync(shared, origin);
                logger.LogInformation("Incident {OriginItemId} of {Origin} version {OriginVersion}: held as foreign incident {IncidentId} version {Version}",
                    origin.ItemId, origin.InstanceId, origin.ItemVersion, incident.TrackingId, incident.Version);
                break;
            }

            case (Proto.OutboxAction.Note, Proto.FederatedPayload.ItemOneofCase.Note):
            case (Proto.OutboxAction.Status, Proto.FederatedPayload.ItemOneofCase.Status):
            {
                var followUp = Checked(v => FollowUpOf(v, payload));
                var incident = await FollowUpAsync(origin, senderPartnerId, followUp);
                if (incident is null)
                {
                    logger.LogInformation("Incident {OriginItemId} of {Origin}: {Action} {FollowUpId} kept until the incident arrives",
                        origin.ItemId, origin.InstanceId, followUp.Action, followUp.Id);
                }
                else
                {
                    logger.LogInformation("Incident {IncidentId}: {Action} {FollowUpId} from {Sender} recorded (version {Version})",
                        incident.TrackingId, followUp.Action, followUp.Id, senderPartnerId, incident.Version);
                }

                break;
            }

            default:
                throw new CirtException(CirtErrorKind.InvalidArgument,
                    "An incident travels as action PUBLISH with the incident, NOTE with a note, or STATUS with a status change.", "action");
        }
    }

    /// <summary>
    /// Records a note or status change: on one of ours when its origin is this instance (shared with the
    /// sender, <see cref="IncidentSharing.ReceiveFollowUp"/>); else on the foreign incident of its origin,
    /// which must be the sender, kept until that incident arrives when it has not yet (null then).
    /// </summary>
    private async Task<Incident?> FollowUpAsync(ItemOrigin origin, string senderPartnerId, IncidentFollowUp followUp)
    {
        if (origin.InstanceId == federation.Value.InstanceId)
        {
            return TrackingIds.IsValid(origin.ItemId)
                ? await grains.GetGrain<IIncidentGrain>(origin.ItemId).ReceiveFollowUpAsync(senderPartnerId, followUp)
                : throw new CirtException(CirtErrorKind.InvalidArgument, $"origin.item_id '{Echo.Of(origin.ItemId)}' is not a tracking id of ours.", "origin.item_id");
        }

        if (origin.InstanceId != senderPartnerId)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"Notes and status changes on {origin.InstanceId}'s incident {origin.ItemId} come from {origin.InstanceId}, not from {senderPartnerId}.");
        }

        return await grains.GetGrain<IForeignIncidentGrain>(ForeignIncidentGrain.KeyFor(origin.InstanceId, origin.ItemId)).ReceiveFollowUpAsync(followUp);
    }

    /// <summary>The shared incident as a foreign incident's content, checked as a request would be (under "incident").</summary>
    private PartnerIncident ToDomain(Violations v, Proto.SharedIncident shared)
    {
        v.Required("incident.title", shared.Title, Limits.TitleLength);
        v.MaxLength("incident.rsit_class", shared.RsitClass, Limits.NameLength);
        v.MaxLength("incident.rsit_type", shared.RsitType, Limits.NameLength);
        v.Enum("incident.severity", shared.Severity, required: false);
        v.Enum("incident.tlp", shared.Tlp);
        v.Enum("incident.status", shared.Status);
        v.MaxCount("incident.sectors", shared.Sectors, Limits.SectorsPerItem);
        for (var i = 0; i < shared.Sectors.Count; i++)
        {
            v.Required($"incident.sectors[{i}]", shared.Sectors[i], Limits.NameLength);
        }

        v.MaxCount("incident.indicators", shared.Indicators, Limits.ObservablesPerIncident);
        v.MaxCount("incident.affected_organisations", shared.AffectedOrganisations, Limits.StakeholdersPerIncident);
        for (var i = 0; i < shared.AffectedOrganisations.Count; i++)
        {
            v.Required($"incident.affected_organisations[{i}]", shared.AffectedOrganisations[i], Limits.NameLength);
        }

        v.MaxCount("incident.timeline", shared.Timeline, Limits.TimelineEntriesPerIncident);
        var timeline = new List<PartnerTimelineEntry>(shared.Timeline.Count);
        for (var i = 0; i < shared.Timeline.Count && i < Limits.TimelineEntriesPerIncident; i++)
        {
            var entry = shared.Timeline[i];
            v.Required($"incident.timeline[{i}].text", entry.Text, MaxTextLength);
            timeline.Add(new PartnerTimelineEntry(FieldRules.Time(v, $"incident.timeline[{i}].at", entry.At) ?? DateTimeOffset.UnixEpoch, entry.Text));
        }

        var indicators = shared.Indicators.Count <= Limits.ObservablesPerIncident ? CommonMapping.ToDomain(shared.Indicators, "incident.indicators", v) : [];
        var reportedAt = FieldRules.Time(v, "incident.reported_at", shared.ReportedAt) ?? clock.GetUtcNow();
        return new PartnerIncident(
            shared.Title, shared.RsitClass, shared.RsitType, CommonMapping.ToDomain(shared.Severity), CommonMapping.ToDomain(shared.Tlp),
            CommonMapping.ToDomain(shared.Status), [.. shared.Sectors], indicators, [.. shared.AffectedOrganisations], [.. timeline], reportedAt);
    }

    /// <summary>The note or status change the payload carries, checked as a request would be.</summary>
    private IncidentFollowUp FollowUpOf(Violations v, Proto.FederatedPayload payload)
    {
        if (payload.ItemCase == Proto.FederatedPayload.ItemOneofCase.Note)
        {
            var note = payload.Note;
            Id(v, "note.note_id", note.NoteId);
            v.MaxLength("note.author", note.Author, Limits.NameLength);
            v.Required("note.text", note.Text, MaxTextLength);
            var at = FieldRules.Time(v, "note.at", note.At) ?? clock.GetUtcNow();
            return new IncidentFollowUp(ShareAction.Note, note.NoteId, at, note.Author, note.Text);
        }

        var status = payload.Status;
        Id(v, "status.change_id", status.ChangeId);
        v.Enum("status.status", status.Status);
        v.MaxLength("status.reason", status.Reason, MaxTextLength);
        var changedAt = FieldRules.Time(v, "status.at", status.At) ?? clock.GetUtcNow();
        return new IncidentFollowUp(ShareAction.Status, status.ChangeId, changedAt, "", status.Reason, CommonMapping.ToDomain(status.Status));
    }

    private static void Id(Violations v, string field, string id)
    {
        v.Required(field, id, Limits.IdLength);
        if (id.Any(char.IsControl))
        {
            v.Add(field, "must be printable");
        }
    }

    /// <summary>
    /// Runs a shape check written for requests, and turns what it finds into the refusal a receiver
    /// gives (a <see cref="CirtException"/>, which Deliver records and answers with INVALID_ARGUMENT).
    /// </summary>
    private static T Checked<T>(Func<Violations, T> check)
    {
        try
        {
            var v = new Violations();
            var result = check(v);
            v.ThrowIfAny();
            return result;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, ex.Status.Detail, "incident");
        }
    }
}
