using System.Globalization;
using System.Text;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Incidents across borders, as plain rules.
/// <para>
/// Ours, shared: an analyst shares an incident with a partner CIRT (<see cref="Share"/>): a redacted
/// summary of it as it now stands leaves through the partner's agreement and the outbox; sharing it
/// again sends the version it has then (nothing when the partner has that version already). A
/// TLP:RED incident never leaves, an exercise does not either (what travels carries no exercise
/// mark), and an incident a partner shared with us is not passed on: only its origin shares it.
/// </para>
/// <para>
/// Theirs, foreign: an incident a partner shares with us opens a foreign incident here
/// (<see cref="Open"/>) under a tracking id of ours, with no reporter and affecting none of our
/// organisations, so CIRT staff alone see it (organisations are involved through an incident of ours
/// linked to it: <see cref="RefusalToInvolve"/>). Its status here starts at Reported for our own
/// triage and is ours to move; the status at the origin is recorded in its timeline. A newer version
/// from the origin replaces its summary (<see cref="Update"/>); an older or the same one changes nothing.
/// </para>
/// <para>
/// Both ways: a note CIRT staff share (never an internal one) and a status change on an incident that
/// is shared or foreign go to the other side (<see cref="FollowUpsOwed"/>): to every partner it is
/// shared with, or back to the origin of a foreign incident. What a partner sends is recorded once per
/// id (<see cref="ReceiveFollowUp"/>) as an internal entry: a partner's words reach our constituency or
/// other partners only as our analysts pass them on. Any two incidents may be linked (<see cref="Link"/>).
/// </para>
/// </summary>
public static class IncidentSharing
{
    public const string SharedKind = "shared-with-partner";
    public const string ShareRefusedKind = "share-refused";
    public const string ReceivedKind = "received-from-partner";
    public const string OriginUpdatedKind = "origin-updated";
    public const string PartnerNoteKind = "partner-note";
    public const string PartnerStatusKind = "partner-status";
    public const string LinkedKind = "linked";

    /// <summary>Who records what the outbox refused, as timelines show it.</summary>
    public const string Actor = "system:sharing";

    /// <summary>The most partner CIRTs one incident is shared with.</summary>
    public const int MaxPartners = 50;

    /// <summary>The most incidents one incident is linked to.</summary>
    public const int MaxLinks = 100;

    /// <summary>Who writes what partner <paramref name="partnerId"/> sends, as timelines show it: "partner:cirt-de".</summary>
    public static string ActorOf(string partnerId) => "partner:" + partnerId;

    /// <summary>The principal what partner <paramref name="partnerId"/> sends is written as (its entries count against its share of a timeline).</summary>
    public static Principal PrincipalOf(string partnerId) => new("", partnerId, Role.Partner, "", partnerId);

    /// <summary>Why <paramref name="incident"/> may go to no partner, or null when it may go as agreements allow.</summary>
    public static string? RefusalToShare(Incident incident) =>
        incident.Tlp == Tlp.Red
            ? $"TLP:RED never leaves: incident {incident.TrackingId} is for its named recipients only."
            : incident.PartnerOrigin is { } origin
                ? $"Incident {incident.TrackingId} came from partner {origin.InstanceId} (its incident {origin.ItemId}): only its origin shares it with others. "
                  + "Notes and status changes on it go back to its origin by themselves."
                : incident.Exercise
                    ? $"Incident {incident.TrackingId} is an exercise: what partners receive carries no exercise mark, so exercises are not shared."
                    : null;

    /// <summary>Why stakeholders of ours may not be added to <paramref name="incident"/>, or null.</summary>
    public static string? RefusalToInvolve(Incident incident) =>
        incident.PartnerOrigin is { } origin
            ? $"Incident {incident.TrackingId} is partner {origin.InstanceId}'s, seen by CIRT staff only: link it to an incident of ours (LinkIncident) and involve organisations there."
            : null;

    /// <summary>
    /// <paramref name="current"/> shared with <paramref name="partnerId"/>: one version on, with the
    /// share recorded (internal entry) and the summary owed to the partner; unchanged when the partner
    /// was given this very version already. FAILED_PRECONDITION for an incident that may not leave
    /// (<see cref="RefusalToShare"/>) or one shared with <see cref="MaxPartners"/> others already.
    /// </summary>
    public static Incident Share(Incident current, string partnerId, string actor, DateTimeOffset now)
    {
        if (RefusalToShare(current) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal, "tracking_id");
        }

        var index = Array.FindIndex(current.PartnerShares, s => s.PartnerId == partnerId);
        if (index >= 0 && current.PartnerShares[index].Version == current.Version)
        {
            return current;
        }

        if (index < 0 && current.PartnerShares.Length >= MaxPartners)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} is shared with {current.PartnerShares.Length} partners already, the most one incident is shared with.", "partner_id");
        }

        var share = new IncidentPartnerShare(partnerId, now, actor, current.Version + 1);
        IncidentPartnerShare[] shares = index < 0 ? [.. current.PartnerShares, share] : current.PartnerShares.Select((s, i) => i == index ? share : s).ToArray();
        var next = Append(current with { PartnerShares = shares }, now, actor, SharedKind,
            (index < 0 ? $"Shared with partner {partnerId}" : $"Shared again with partner {partnerId}")
            + $": a redacted summary of version {share.Version}, as its agreement allows",
            TimelineVisibility.Internal);
        return Owe(next, [new IncidentPendingShare(partnerId, ShareAction.Publish, actor)]);
    }

    /// <summary>
    /// The partners notes and status changes of <paramref name="incident"/> go to: back to its origin
    /// for a foreign incident; else every partner it is shared with whose agreement took it. None while
    /// it is TLP:RED.
    /// </summary>
    public static string[] Followers(Incident incident) =>
        incident.Tlp == Tlp.Red ? []
        : incident.PartnerOrigin is { } origin ? [origin.ReceivedFrom]
        : incident.PartnerShares.Where(s => !s.Refused).Select(s => s.PartnerId).ToArray();

    /// <summary>
    /// What turning <paramref name="before"/> into <paramref name="after"/>, a change by
    /// <paramref name="author"/>, owes partners: its status change and each note it shares, for every
    /// follower (<see cref="Followers"/>). Only the changes CIRT staff make travel: an organisation's
    /// note was written for the CIRT and the organisations that see the incident, and what partners or
    /// the system write stays here.
    /// </summary>
    public static IncidentPendingShare[] FollowUpsOwed(Incident? before, Incident after, Principal? author)
    {
        if (before is null || author is not { IsCirtStaff: true } || after.Timeline.Length <= before.Timeline.Length)
        {
            return [];
        }

        var partners = Followers(after);
        if (partners.Length == 0)
        {
            return [];
        }

        var added = after.Timeline[before.Timeline.Length..];
        var owed = new List<IncidentPendingShare>();
        if (after.Status != before.Status)
        {
            // A status change is the first entry of its change (the tasks it cancels come after).
            owed.AddRange(partners.Select(p => new IncidentPendingShare(p, ShareAction.Status, author.Actor, added[0].Sequence, after.Status, after.Version)));
        }

        foreach (var note in added.Where(e => e.Kind == IncidentNotes.Kind && IncidentDisclosure.VisibilityOf(e) == TimelineVisibility.Shared))
        {
            owed.AddRange(partners.Select(p => new IncidentPendingShare(p, ShareAction.Note, author.Actor, note.Sequence, Version: after.Version)));
        }

        return owed.ToArray();
    }

    /// <summary><paramref name="incident"/> owing <paramref name="owed"/> as well (each once).</summary>
    public static Incident Owe(Incident incident, IReadOnlyCollection<IncidentPendingShare> owed) =>
        owed.Count == 0 ? incident : incident with { PendingShares = incident.PendingShares.Concat(owed).Distinct().ToArray() };

    /// <summary>The note or status change <paramref name="pending"/> owes, as it travels; null for a summary.</summary>
    public static IncidentFollowUp? FollowUpOf(Incident incident, IncidentPendingShare pending)
    {
        if (pending.Action is not (ShareAction.Note or ShareAction.Status))
        {
            return null;
        }

        var entry = incident.Timeline[pending.Sequence - 1];
        return new IncidentFollowUp(pending.Action, FollowUpId(incident, entry), entry.At, entry.Actor, entry.Summary, pending.Status, pending.Version);
    }

    /// <summary>The id a note or status change travels with: "{tracking id}#{timeline entry}", unique at its writer.</summary>
    public static string FollowUpId(Incident incident, TimelineEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{incident.TrackingId}#{entry.Sequence}");

    /// <summary>
    /// <paramref name="incident"/> once the outbox took <paramref name="handed"/>: those are no longer
    /// owed, and each partner's share records what came of its summary (<paramref name="summaries"/>).
    /// A summary an agreement refused is recorded in the timeline, one version on (internal entry).
    /// </summary>
    public static Incident Recorded(
        Incident incident, IReadOnlyCollection<IncidentPendingShare> handed, IReadOnlyCollection<ShareOutcome> summaries, DateTimeOffset now)
    {
        var next = incident with
        {
            PendingShares = incident.PendingShares.Where(p => !handed.Contains(p)).ToArray(),
            PartnerShares = incident.PartnerShares
                .Select(s => summaries.LastOrDefault(o => o.PartnerId == s.PartnerId) is { } outcome ? s with { Outcome = outcome } : s)
                .ToArray(),
        };
        var refused = summaries.Where(o => o.MessageId.Length == 0).ToArray();
        foreach (var outcome in refused)
        {
            next = AppendToChange(next, now, Actor, ShareRefusedKind, $"Not shared with partner {outcome.PartnerId}: {outcome.RefusedReason}", TimelineVisibility.Internal);
        }

        return refused.Length == 0 ? next : next with { Version = incident.Version + 1 };
    }

    /// <summary>
    /// The foreign incident <paramref name="shared"/> opens here under <paramref name="trackingId"/>:
    /// CIRT staff only (no reporter, none of our organisations affected, none of our sectors: it is
    /// not ours to count), Reported for our triage, which <paramref name="triageDeadline"/> awaits. The
    /// origin's severity is its claim (<see cref="Incident.ReportedSeverity"/>); its label, title,
    /// classification and indicators are taken as they are; the rest is in its description.
    /// </summary>
    public static Incident Open(string trackingId, PartnerIncident shared, ItemOrigin origin, Deadline triageDeadline, DateTimeOffset now)
    {
        RefuseReceiving(shared);
        var incident = new Incident
        {
            TrackingId = trackingId,
            RequestId = $"partner:{origin.InstanceId}/{origin.ItemId}",
            Title = shared.Title,
            Description = Describe(shared, origin),
            ReporterStakeholderId = "",
            ReporterContact = ReporterContact.None,
            ReporterEntityClass = Stakeholders.Nis2EntityClass.None,
            AffectedStakeholderIds = [],
            SectorCodes = [],
            RsitClass = shared.RsitClass,
            RsitType = shared.RsitType,
            ReportedSeverity = shared.Severity,
            Tlp = shared.Tlp,
            Status = IncidentStatus.Reported,
            Observables = Indicators([], shared),
            Deadlines = [triageDeadline],
            AwareAt = now,
            ReportedAt = now,
            UpdatedAt = now,
            Version = 1,
            Origin = IncidentOrigins.Partner,
            PartnerOrigin = origin,
            Timeline =
            [
                new TimelineEntry(1, now, ActorOf(origin.ReceivedFrom), ReceivedKind,
                    $"Shared by partner {origin.InstanceId} as its incident {origin.ItemId} (its version {origin.ItemVersion}): {StandingThere(shared)}")
                {
                    Visibility = TimelineVisibility.Internal,
                },
            ],
        };
        return incident;
    }

    /// <summary>
    /// The foreign incident <paramref name="current"/> with the summary of a newer version from its
    /// origin: title, description, the origin's severity and label, and the indicators (added to those
    /// it has) replaced; its classification too while we have not triaged it. An older or the same
    /// version changes nothing (a resend, or one overtaken). PERMISSION_DENIED for an incident that is
    /// not that origin's item.
    /// </summary>
    public static Incident Update(Incident current, PartnerIncident shared, ItemOrigin origin, DateTimeOffset now)
    {
        if (current.PartnerOrigin is not { } held || held.InstanceId != origin.InstanceId || held.ItemId != origin.ItemId)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"Incident {current.TrackingId} is not {origin.InstanceId}'s incident {origin.ItemId}: only an item's origin replaces it.");
        }

        if (origin.ItemVersion <= held.ItemVersion)
        {
            return current;
        }

        RefuseReceiving(shared);
        var triaged = current.Status != IncidentStatus.Reported;
        var next = current with
        {
            Title = shared.Title,
            Description = Describe(shared, origin),
            ReportedSeverity = shared.Severity,
            Tlp = shared.Tlp,
            RsitClass = triaged ? current.RsitClass : shared.RsitClass,
            RsitType = triaged ? current.RsitType : shared.RsitType,
            Observables = Indicators(current.Observables, shared),
            PartnerOrigin = origin,
        };
        return Append(next, now, ActorOf(origin.ReceivedFrom), OriginUpdatedKind,
            $"Partner {origin.InstanceId} updated its incident {origin.ItemId} (its version {origin.ItemVersion}): {StandingThere(shared)}",
            TimelineVisibility.Internal);
    }

    /// <summary>
    /// <paramref name="current"/> with a note or status change from partner <paramref name="senderId"/>
    /// recorded (internal entry; our own status does not move), or unchanged when it was recorded
    /// before (same id). PERMISSION_DENIED unless the incident is shared with that partner or is its.
    /// </summary>
    public static Incident ReceiveFollowUp(Incident current, string senderId, IncidentFollowUp followUp, DateTimeOffset now)
    {
        var party = current.PartnerOrigin is { } origin
            ? origin.InstanceId == senderId || origin.ReceivedFrom == senderId
            : current.PartnerShares.Any(s => s.PartnerId == senderId);
        if (!party)
        {
            throw NotSharedWith(current.TrackingId, senderId);
        }

        var key = $"{senderId}/{followUp.Id}";
        if (current.PartnerFollowUpIds.Contains(key, StringComparer.Ordinal))
        {
            return current;
        }

        var (kind, summary) = followUp switch
        {
            { Action: ShareAction.Note } => (PartnerNoteKind, $"Note from {senderId} ({followUp.Author}): {followUp.Text}"),
            { Action: ShareAction.Status, Status: { } status } => (PartnerStatusKind, $"{senderId}: status {Words.Of(status)} — {followUp.Text}"),
            _ => throw new CirtException(CirtErrorKind.InvalidArgument, "A follow-up is a note, or a status change with its status.", "status"),
        };
        return Append(current with { PartnerFollowUpIds = [.. current.PartnerFollowUpIds, key] }, now, ActorOf(senderId), kind, summary, TimelineVisibility.Internal);
    }

    /// <summary>
    /// PERMISSION_DENIED for what partner <paramref name="senderId"/> sends about incident
    /// <paramref name="trackingId"/>, in the same words whether the incident does not exist or is not
    /// shared with it, so that a partner cannot tell our incidents from ids that name none.
    /// </summary>
    public static CirtException NotSharedWith(string trackingId, string senderId) =>
        new(CirtErrorKind.PermissionDenied, $"Incident {trackingId} is not shared with partner {senderId}: its notes and status changes on it are not taken.");

    /// <summary>
    /// <paramref name="current"/> linked to <paramref name="otherTrackingId"/> (internal entry), or
    /// unchanged when it is already. Both incidents of a link record it, each with this rule.
    /// </summary>
    public static Incident Link(Incident current, string otherTrackingId, string actor, DateTimeOffset now)
    {
        if (otherTrackingId == current.TrackingId)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, "An incident is not linked to itself.", "linked_tracking_id");
        }

        if (current.LinkedTrackingIds.Contains(otherTrackingId, StringComparer.Ordinal))
        {
            return current;
        }

        if (current.LinkedTrackingIds.Length >= MaxLinks)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} is linked to {current.LinkedTrackingIds.Length} incidents already, the most one incident is linked to.",
                "linked_tracking_id");
        }

        return Append(current with { LinkedTrackingIds = [.. current.LinkedTrackingIds, otherTrackingId] }, now, actor, LinkedKind,
            $"Linked to {otherTrackingId}", TimelineVisibility.Internal);
    }

    /// <summary>What is received is at most TLP:AMBER+STRICT: a TLP:RED incident should never have left its origin.</summary>
    private static void RefuseReceiving(PartnerIncident shared)
    {
        if (shared.Tlp == Tlp.Red)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied, "It is TLP:RED: for its named recipients only, it should never have left its origin.");
        }
    }

    /// <summary><paramref name="existing"/> with the indicators of <paramref name="shared"/> not already there, up to what an incident holds.</summary>
    private static Observable[] Indicators(Observable[] existing, PartnerIncident shared)
    {
        var all = IncidentObservables.Merge(existing, shared.Indicators).All;
        return all.Length <= Limits.ObservablesPerIncident
            ? all
            : throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"An incident holds at most {Limits.ObservablesPerIncident} observables; this one would hold {all.Length}.", "indicators");
    }

    /// <summary>"status Responding, severity High, TLP:AMBER": where the incident stands at its origin.</summary>
    private static string StandingThere(PartnerIncident shared) =>
        $"status {Words.Of(shared.Status)} there, severity {Words.Of(shared.Severity)}, TLP:{TlpLabels.Of(shared.Tlp)}";

    /// <summary>
    /// The description of a foreign incident: where it comes from, how it stands there, and the
    /// origin's shared timeline, the newest entries that fit.
    /// </summary>
    private static string Describe(PartnerIncident shared, ItemOrigin origin)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Shared by partner CIRT {origin.InstanceId} ({origin.Country}) as its incident {origin.ItemId}, ")
            .Append(CultureInfo.InvariantCulture, $"reported there {Words.Time(shared.ReportedAt)}.\n")
            .Append(CultureInfo.InvariantCulture, $"There: {StandingThere(shared)}.")
            .Append(shared.Sectors.Length > 0 ? $"\nSectors there: {string.Join(", ", shared.Sectors)}." : "")
            .Append(shared.AffectedOrganisations.Length > 0 ? $"\nAffected organisations there: {string.Join(", ", shared.AffectedOrganisations)}." : "")
            .ToString();
        if (shared.Timeline.Length == 0)
        {
            return Fit(head);
        }

        const string Heading = "\n\nIts shared timeline:";
        var lines = shared.Timeline.Select(e => string.Create(CultureInfo.InvariantCulture, $"\n- {Words.Time(e.At)} {e.Text}")).ToArray();
        var room = Limits.DescriptionLength - head.Length - Heading.Length - 64;
        var kept = new List<string>();
        for (var i = lines.Length - 1; i >= 0 && room - lines[i].Length >= 0; i--)
        {
            room -= lines[i].Length;
            kept.Insert(0, lines[i]);
        }

        var left = lines.Length - kept.Count;
        return Fit(head + Heading + (left > 0 ? $"\n({left} earlier entries left out)" : "") + string.Concat(kept));
    }

    private static string Fit(string text) => text.Length <= Limits.DescriptionLength ? text : text[..Limits.DescriptionLength];

}
