using System.Globalization;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;

namespace Cirt.Grains.Advisories;

/// <summary>
/// What may happen to an advisory, as plain functions: each takes the advisory as it is and returns
/// it as it becomes (the same instance when nothing changes), or refuses with a
/// <see cref="CirtException"/> naming the rule. <see cref="AdvisoryGrain"/> stores what they return.
/// A draft is written, published once to organisations TLP lets it reach, updated while not
/// withdrawn, withdrawn once; its recipients acknowledge it, and the silent ones are chased. Its
/// content reaches only its current recipients: an organisation an update takes off keeps the
/// version it last received, withdrawn for it, and never sees a newer one (<see cref="AsSeenBy"/>).
/// An advisory also goes to partner CIRTs (<see cref="AdvisoryContent.PartnerRecipients"/>; what each
/// change owes them is <see cref="AdvisoryShares"/>'s to say). One a partner shared with us
/// (<see cref="Advisory.Origin"/>) arrives as a draft (<see cref="Receive"/>): only its origin changes
/// its content or withdraws it; our coordinators choose its targets and publish it here as its TLP
/// allows (<see cref="RefusalToRepublish"/>), and pass it on to other partners only as far as its TLP
/// goes and never back along its route (<see cref="RefusalToReshare"/>).
/// </summary>
public static class AdvisoryRules
{
    /// <summary>The most partner CIRTs one advisory is shared with.</summary>
    public const int MaxPartnerRecipients = 50;

    /// <summary>A new draft: version 1, delivered to nobody.</summary>
    public static Advisory Draft(string id, AdvisoryContent content, DateTimeOffset now, string actor)
    {
        EnsurePartnerRecipients(content.PartnerRecipients, "content.partner_recipients");
        return new(id, content, AdvisoryStatus.Draft, 1, now, actor, now, actor, null, null, "", [], [], []);
    }

    /// <summary>
    /// New content for a draft, or for a published advisory (whose content must stay deliverable),
    /// addressed from now on to <paramref name="recipients"/> exactly: those new to it get it at once,
    /// those still on it keep their delivery and acknowledgement, and those no longer on it become
    /// former recipients who keep the version they last received (<see cref="AdvisoryEdition"/>) and
    /// get nothing newer. A former recipient named again is delivered the advisory anew. A withdrawn
    /// advisory is final.
    /// </summary>
    /// <remarks>
    /// Of an advisory a partner shared with us, only the targets and the partner recipients change
    /// here; partners new to it must be ones it may be passed on to (<see cref="RefusalToReshare"/>).
    /// </remarks>
    public static Advisory Update(Advisory current, AdvisoryContent content, string[] recipients, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Advisory", current.Id, expectedVersion, current.Version);
        if (current.Status == AdvisoryStatus.Withdrawn)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {current.Id} was withdrawn; write a new one.");
        }

        EnsurePartnerRecipients(content.PartnerRecipients, "content.partner_recipients");
        if (current.Origin is { } origin)
        {
            EnsureOnlyLocalChanges(current, content, origin);
            EnsureResharable(current.Id, origin, content.Tlp, content.PartnerRecipients.Except(current.Content.PartnerRecipients, StringComparer.Ordinal));
        }

        var next = current with { Content = content, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor };
        if (current.Status != AdvisoryStatus.Published)
        {
            return next;
        }

        if (current.Origin is not null)
        {
            EnsureRepublishable(current.Id, content.Tlp);
        }

        EnsureDeliverable(content);

        return Readdress(current, next, recipients, now, actor);
    }

    /// <summary>
    /// <paramref name="next"/> (a new version of the published <paramref name="current"/>) addressed to
    /// <paramref name="recipients"/> exactly: those new to it get it now, those still on it keep their
    /// delivery and acknowledgement, and those taken off become former recipients who keep the version
    /// they last received.
    /// </summary>
    private static Advisory Readdress(Advisory current, Advisory next, string[] recipients, DateTimeOffset now, string actor)
    {
        var addressed = recipients.ToHashSet(StringComparer.Ordinal);
        var removed = current.Recipients.Where(r => !addressed.Contains(r.StakeholderId))
            .Select(r => new AdvisoryFormerRecipient(r, current.Version, now, actor))
            .ToArray();
        var former = current.FormerRecipients.Where(f => !addressed.Contains(f.StakeholderId)).Concat(removed).ToArray();
        AdvisoryEdition[] editions = removed.Length > 0 && current.Editions.All(e => e.Version != current.Version)
            ? [.. current.Editions, new AdvisoryEdition(current.Version, current.Content, current.UpdatedAt, current.UpdatedBy)]
            : current.Editions;
        return next with
        {
            Recipients = Deliver(current.Recipients.Where(r => addressed.Contains(r.StakeholderId)).ToArray(), recipients, now),
            FormerRecipients = former,
            // An edition is kept exactly while a former recipient last received it.
            Editions = editions.Where(e => former.Any(f => f.LastVersion == e.Version)).ToArray(),
        };
    }

    /// <summary>Publishes a draft to <paramref name="recipients"/>; only a draft is published, and only deliverable content.</summary>
    public static Advisory Publish(Advisory current, string[] recipients, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Advisory", current.Id, expectedVersion, current.Version);
        if (current.Status != AdvisoryStatus.Draft)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {current.Id} is {Words.Of(current.Status)}; only a draft is published.");
        }

        if (current.Origin is not null)
        {
            EnsureRepublishable(current.Id, current.Content.Tlp);
        }

        EnsureDeliverable(current.Content);

        return current with
        {
            Status = AdvisoryStatus.Published,
            PublishedAt = now,
            Version = current.Version + 1,
            UpdatedAt = now,
            UpdatedBy = actor,
            Recipients = Deliver([], recipients, now),
        };
    }

    /// <summary>
    /// Withdraws an advisory, draft or published; withdrawing it again changes nothing. One a partner
    /// shared with us is withdrawn by its origin only (<see cref="ReceiveWithdrawal"/>).
    /// </summary>
    public static Advisory Withdraw(Advisory current, string reason, DateTimeOffset now, string actor)
    {
        if (current.Origin is { } origin)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Advisory {current.Id} was shared with us by a partner CIRT: only its origin {origin.InstanceId} may withdraw it.");
        }

        return current.Status == AdvisoryStatus.Withdrawn ? current : Withdrawn(current, reason, now, actor);
    }

    /// <summary>
    /// Adds <paramref name="partnerIds"/> to a published advisory's partner recipients (a new version
    /// when any is new to it; those already on it stay as they are). Only a published advisory is
    /// shared: a draft is shared when it is published, and a withdrawn one has nothing left to share.
    /// </summary>
    public static Advisory Share(Advisory current, string[] partnerIds, DateTimeOffset now, string actor)
    {
        if (current.Status != AdvisoryStatus.Published)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, current.Status == AdvisoryStatus.Draft
                ? $"Advisory {current.Id} is a draft: name its partner recipients and publish it; they get it then."
                : $"Advisory {current.Id} was withdrawn: there is nothing left to share.");
        }

        if (partnerIds.Length == 0)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, "Name at least one partner to share the advisory with.", "partner_ids");
        }

        EnsurePartnerRecipients(partnerIds, "partner_ids");
        var added = partnerIds.Except(current.Content.PartnerRecipients, StringComparer.Ordinal).ToArray();
        if (added.Length == 0)
        {
            return current;
        }

        if (current.Origin is { } origin)
        {
            EnsureResharable(current.Id, origin, current.Content.Tlp, added);
        }

        string[] all = [.. current.Content.PartnerRecipients, .. added];
        if (all.Length > MaxPartnerRecipients)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument,
                $"Advisory {current.Id} would have {all.Length} partner recipients; the limit is {MaxPartnerRecipients}.", "partner_ids");
        }

        return current with
        {
            Content = current.Content with { PartnerRecipients = all }, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor,
        };
    }

    /// <summary>
    /// An advisory a partner CIRT shared with us (<paramref name="origin"/>), as the origin now has it.
    /// The first time (<paramref name="current"/> null), a draft: CIRT staff see it, operators see
    /// nothing until our coordinators publish it to local targets. Later, a newer version from the
    /// origin replaces the content and keeps our targets and partner recipients (a published one
    /// reaches its recipients at once, as an update does); an older or equal version, or anything
    /// after it was withdrawn, changes nothing (a resend is harmless). If the origin's new TLP no longer
    /// lets it go to our constituency, its recipients keep the version they had and get nothing
    /// newer; partners it may no longer be passed on to are taken off it (and recalled, see
    /// <see cref="AdvisoryShares"/>). Only the origin, or the partner it came to us from, changes it.
    /// </summary>
    /// <param name="content">The origin's content, with the local targets the receiver suggests.</param>
    public static Advisory Receive(string id, Advisory? current, AdvisoryContent content, ItemOrigin origin, DateTimeOffset publishedAt, DateTimeOffset now)
    {
        var actor = ReceivedBy(origin);
        if (current is null)
        {
            return Draft(id, content with { PartnerRecipients = [], IncidentTrackingId = "" }, now, actor) with { Origin = origin, OriginPublishedAt = publishedAt };
        }

        var held = HeldOrigin(current);
        if (current.Status == AdvisoryStatus.Withdrawn || origin.ItemVersion <= held.ItemVersion)
        {
            return current;
        }

        EnsureFromOrigin(current, held, origin);
        var replaced = content with
        {
            TargetSectors = current.Content.TargetSectors,
            TargetStakeholders = current.Content.TargetStakeholders,
            IncidentTrackingId = current.Content.IncidentTrackingId,
            PartnerRecipients = current.Content.PartnerRecipients.Where(p => RefusalToReshare(origin, content.Tlp, p) is null).ToArray(),
        };
        var next = current with
        {
            Content = replaced, Origin = origin, OriginPublishedAt = publishedAt, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor,
        };
        if (current.Status != AdvisoryStatus.Published)
        {
            return next;
        }

        string[] recipients = RefusalToRepublish(content.Tlp) is null ? [.. current.Recipients.Select(r => r.StakeholderId)] : [];
        return Readdress(current, next, recipients, now, actor);
    }

    /// <summary>
    /// Its origin withdrew an advisory it shared with us: withdrawn here too (its recipients see it
    /// withdrawn); again changes nothing. A withdrawal of one that never reached us is recorded as a
    /// withdrawn advisory with no content, so that a late copy does not bring it back.
    /// </summary>
    public static Advisory ReceiveWithdrawal(string id, Advisory? current, ItemOrigin origin, string reason, DateTimeOffset withdrawnAt, DateTimeOffset now)
    {
        var actor = ReceivedBy(origin);
        var why = string.Create(CultureInfo.InvariantCulture,
            $"Withdrawn by the partner CIRT that shared it ({origin.Country}) on {withdrawnAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {reason}");
        if (current is null)
        {
            var nothing = new AdvisoryContent(
                $"{origin.ItemId} from {origin.InstanceId}: withdrawn before it reached us", "", [], [], [], [], Tlp.Red, [], [], "");
            return Withdrawn(Draft(id, nothing, now, actor), why, now, actor) with { Origin = origin };
        }

        if (current.Status == AdvisoryStatus.Withdrawn)
        {
            return current;
        }

        var held = HeldOrigin(current);
        EnsureFromOrigin(current, held, origin);
        return Withdrawn(current, why, now, actor) with { Origin = origin with { ItemVersion = Math.Max(origin.ItemVersion, held.ItemVersion) } };
    }

    /// <summary>
    /// Why an advisory a partner shared with us may not be published to our constituency, or null when
    /// it may: TLP:CLEAR, GREEN and AMBER reach the organisations we serve (AMBER: the recipient's
    /// clients, which our constituency is); AMBER+STRICT stays with us, RED with the people it names,
    /// and an item without a label is not passed on at all. (The one rule for received items of every
    /// kind: the server's sharing policy asks it too.)
    /// </summary>
    public static string? RefusalToRepublish(Tlp tlp) =>
        !Enum.IsDefined(tlp) ? "It has no TLP label: it cannot be re-published."
        : TlpPolicy.MayReceive(tlp, Audience.InvolvedOrganisation) ? null
        : tlp == Tlp.Red ? "It is TLP:RED: for its named recipients only."
        : $"It is TLP:{TlpLabels.Of(tlp)}: for this CIRT only, not for its constituency.";

    /// <summary>
    /// Why an advisory a partner shared with us may not be passed on to partner <paramref name="partnerId"/>,
    /// or null when it may: never back to an instance on its route (its origin included), and only
    /// TLP:CLEAR or GREEN, which reach the community of CIRTs (AMBER stops at our own constituency).
    /// </summary>
    public static string? RefusalToReshare(ItemOrigin origin, Tlp tlp, string partnerId)
    {
        if (partnerId == origin.InstanceId || origin.Route.Contains(partnerId, StringComparer.Ordinal))
        {
            return $"{partnerId} is on its route (it came to us from there): it is never sent back.";
        }

        return TlpPolicy.MayReceive(tlp, Audience.Community)
            ? null
            : $"It is TLP:{TlpLabels.Of(tlp)}: only TLP:CLEAR and GREEN advisories from partner CIRTs are passed on to other partners.";
    }

    /// <summary>How a partner that changed a received advisory is named in it ("partner:cirt-de").</summary>
    public const string PartnerActorPrefix = "partner:";

    /// <summary>Who changes a received advisory in its history: the partner that delivered the change.</summary>
    public static string ReceivedBy(ItemOrigin origin) => PartnerActorPrefix + origin.ReceivedFrom;

    /// <summary>
    /// A recipient of a published advisory acknowledges it; acknowledging twice changes nothing.
    /// A former recipient is told the advisory is no longer addressed to it; anyone else (and anyone,
    /// for a draft or a withdrawn advisory) is answered as if the advisory did not exist.
    /// </summary>
    public static Advisory Acknowledge(Advisory current, string stakeholderId, DateTimeOffset now, string actor)
    {
        var published = current.Status == AdvisoryStatus.Published;
        var recipient = published ? current.Recipients.FirstOrDefault(r => r.StakeholderId == stakeholderId) : null;
        if (recipient is null && published && current.FormerRecipients.Any(f => f.StakeholderId == stakeholderId))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Advisory {current.Id} is no longer addressed to your organisation: there is nothing to acknowledge.");
        }

        if (recipient is null)
        {
            throw CirtException.NotFound("Advisory", current.Id);
        }

        return recipient.AcknowledgedAt is not null
            ? current
            : current with
            {
                Recipients = current.Recipients.Select(r => r.StakeholderId == stakeholderId ? r with { AcknowledgedAt = now, AcknowledgedBy = actor } : r).ToArray(),
            };
    }

    /// <summary>
    /// Counts a reminder for every recipient of a published advisory who has not acknowledged it
    /// <paramref name="chaseAfter"/> after its delivery or its last reminder; <paramref name="chased"/>
    /// names them (none: the advisory is returned as it was).
    /// </summary>
    public static Advisory Chase(Advisory current, DateTimeOffset now, TimeSpan chaseAfter, out IReadOnlyList<string> chased)
    {
        var due = current.Status == AdvisoryStatus.Published
            ? current.Recipients.Where(r => r.AcknowledgedAt is null && now - (r.LastRemindedAt ?? r.DeliveredAt) >= chaseAfter).Select(r => r.StakeholderId).ToArray()
            : [];
        chased = due;
        return due.Length == 0
            ? current
            : current with
            {
                Recipients = current.Recipients.Select(r => due.Contains(r.StakeholderId) ? r with { Reminders = r.Reminders + 1, LastRemindedAt = now } : r).ToArray(),
            };
    }

    /// <summary>Whether someone is still to be chased: a recipient of a published advisory that has not acknowledged.</summary>
    public static bool NeedsChasing(Advisory advisory) =>
        advisory.Status == AdvisoryStatus.Published && advisory.Recipients.Any(r => r.AcknowledgedAt is null);

    /// <summary>
    /// Refuses content that cannot go to organisations: TLP:RED is for named people only (see
    /// <see cref="TlpPolicy"/>), and an advisory needs a target sector or stakeholder.
    /// </summary>
    public static void EnsureDeliverable(AdvisoryContent content)
    {
        if (!TlpPolicy.MayReceive(content.Tlp, Audience.ReportingOrganisation))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                "A TLP:RED advisory is for named people only: it cannot be delivered to organisations. Share it person to person, or choose TLP:AMBER+STRICT or wider.", "content.tlp");
        }

        if (content.TargetSectors.Length == 0 && content.TargetStakeholders.Length == 0)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                "An advisory needs at least one target sector or stakeholder to be published.", "content.target_stakeholders");
        }
    }

    /// <summary>
    /// The advisory as <paramref name="viewer"/> may see it, or null when it may not see it at all.
    /// CIRT staff see every advisory as it is. An operator sees one addressed to its organisation
    /// once published (withdrawn ones included), as it is. An operator whose organisation an update
    /// took off sees only what it was sent: the version it last received, withdrawn for it since it
    /// was taken off, with its own entry among the former recipients and nobody else's. Nobody else
    /// sees any.
    /// </summary>
    public static Advisory? AsSeenBy(Principal viewer, Advisory advisory)
    {
        if (viewer.IsCirtStaff)
        {
            return advisory;
        }

        if (viewer.Role != Role.Operator || viewer.StakeholderId.Length == 0 || advisory.Status == AdvisoryStatus.Draft)
        {
            return null;
        }

        if (advisory.Recipients.Any(r => r.StakeholderId == viewer.StakeholderId))
        {
            return advisory;
        }

        var former = advisory.FormerRecipients.FirstOrDefault(f => f.StakeholderId == viewer.StakeholderId);
        var edition = former is null ? null : advisory.Editions.FirstOrDefault(e => e.Version == former.LastVersion);
        return former is null || edition is null
            ? null
            : advisory with
            {
                Content = edition.Content,
                Version = edition.Version,
                UpdatedAt = edition.UpdatedAt,
                UpdatedBy = edition.UpdatedBy,
                Status = AdvisoryStatus.Withdrawn,
                WithdrawnAt = former.RemovedAt,
                WithdrawReason = NoLongerAddressed(advisory.Id, edition.Version),
                Recipients = [],
                FormerRecipients = [former],
                Editions = [],
            };
    }

    /// <summary>Whether <paramref name="viewer"/> sees the advisory at all (see <see cref="AsSeenBy"/>).</summary>
    public static bool MaySee(Principal viewer, Advisory advisory) => AsSeenBy(viewer, advisory) is not null;

    /// <summary>What a former recipient is told about the version it sees.</summary>
    public static string NoLongerAddressed(string id, long version) =>
        $"Advisory {id} is no longer addressed to your organisation. This is version {version}, the last one sent to it; "
        + "later versions are not shared with it. Do not rely on it without checking with the CIRT.";

    private static Advisory Withdrawn(Advisory current, string reason, DateTimeOffset now, string actor) =>
        current with { Status = AdvisoryStatus.Withdrawn, WithdrawnAt = now, WithdrawReason = reason, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor };

    /// <summary>At most <see cref="MaxPartnerRecipients"/> partner ids, each shaped like one, none twice.</summary>
    private static void EnsurePartnerRecipients(string[] partnerIds, string field)
    {
        if (partnerIds.Length > MaxPartnerRecipients)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, $"{field} has {partnerIds.Length} entries; the limit is {MaxPartnerRecipients}.", field);
        }

        for (var i = 0; i < partnerIds.Length; i++)
        {
            if (!PartnerRules.IsValidId(partnerIds[i]))
            {
                throw new CirtException(CirtErrorKind.InvalidArgument,
                    $"{field}[{i}] is not a partner id (1 to 64 lower-case letters, digits, '.', '_' or '-').", $"{field}[{i}]");
            }

            if (Array.IndexOf(partnerIds, partnerIds[i]) < i)
            {
                throw new CirtException(CirtErrorKind.InvalidArgument, $"{field}[{i}] names {partnerIds[i]} a second time.", $"{field}[{i}]");
            }
        }
    }

    private static void EnsureRepublishable(string id, Tlp tlp)
    {
        if (RefusalToRepublish(tlp) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {id} was shared with us by a partner CIRT. {refusal}", "content.tlp");
        }
    }

    private static void EnsureResharable(string id, ItemOrigin origin, Tlp tlp, IEnumerable<string> partnerIds)
    {
        foreach (var partnerId in partnerIds)
        {
            if (RefusalToReshare(origin, tlp, partnerId) is { } refusal)
            {
                throw new CirtException(CirtErrorKind.FailedPrecondition,
                    $"Advisory {id} was shared with us by {origin.InstanceId} and cannot go to {partnerId}. {refusal}", "partner_recipients");
            }
        }
    }

    /// <summary>Of a received advisory, only the targets and the partner recipients change here.</summary>
    private static void EnsureOnlyLocalChanges(Advisory current, AdvisoryContent content, ItemOrigin origin)
    {
        var theirs = current.Content;
        var changed =
            content.Title != theirs.Title ? "content.title"
            : content.Summary != theirs.Summary ? "content.summary"
            : !content.AffectedProducts.SequenceEqual(theirs.AffectedProducts) ? "content.affected_products"
            : !content.Cves.SequenceEqual(theirs.Cves) ? "content.cves"
            : !content.Indicators.SequenceEqual(theirs.Indicators) ? "content.indicators"
            : !content.RecommendedActions.SequenceEqual(theirs.RecommendedActions) ? "content.recommended_actions"
            : content.Tlp != theirs.Tlp ? "content.tlp"
            : content.IncidentTrackingId != theirs.IncidentTrackingId ? "content.incident_tracking_id"
            : null;
        if (changed is not null)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Advisory {current.Id} was shared with us by {origin.InstanceId}: only its origin changes its content ({changed} differs). "
                + "Here you may change its targets and partner recipients.", changed);
        }
    }

    private static ItemOrigin HeldOrigin(Advisory current) =>
        current.Origin ?? throw new CirtException(CirtErrorKind.PermissionDenied, $"Advisory {current.Id} is our own: no partner changes it.");

    /// <summary>
    /// A change to a received advisory comes from its origin, or through the partner it first came to
    /// us from (which passes on its origin's changes); nobody else changes it.
    /// </summary>
    private static void EnsureFromOrigin(Advisory current, ItemOrigin held, ItemOrigin origin)
    {
        if (origin.InstanceId != held.InstanceId || (origin.ReceivedFrom != held.InstanceId && origin.ReceivedFrom != held.ReceivedFrom))
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"Advisory {current.Id} comes from {held.InstanceId}: only its origin, or {held.ReceivedFrom} which shared it with us, changes or withdraws it; {origin.ReceivedFrom} may not.");
        }
    }

    /// <summary>The recipients kept plus those not yet among them, each delivered now.</summary>
    private static AdvisoryRecipient[] Deliver(AdvisoryRecipient[] existing, string[] recipients, DateTimeOffset now) =>
        [.. existing, .. recipients.Distinct().Where(id => existing.All(r => r.StakeholderId != id)).Select(id => new AdvisoryRecipient(id, now, null, "", 0, null))];
}
