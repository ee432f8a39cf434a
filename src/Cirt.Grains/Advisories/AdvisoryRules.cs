using Cirt.Grains.Common;
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
/// </summary>
public static class AdvisoryRules
{
    /// <summary>A new draft: version 1, delivered to nobody.</summary>
    public static Advisory Draft(string id, AdvisoryContent content, DateTimeOffset now, string actor) =>
        new(id, content, AdvisoryStatus.Draft, 1, now, actor, now, actor, null, null, "", [], [], []);

    /// <summary>
    /// New content for a draft, or for a published advisory (whose content must stay deliverable),
    /// addressed from now on to <paramref name="recipients"/> exactly: those new to it get it at once,
    /// those still on it keep their delivery and acknowledgement, and those no longer on it become
    /// former recipients who keep the version they last received (<see cref="AdvisoryEdition"/>) and
    /// get nothing newer. A former recipient named again is delivered the advisory anew. A withdrawn
    /// advisory is final.
    /// </summary>
    public static Advisory Update(Advisory current, AdvisoryContent content, string[] recipients, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Advisory", current.Id, expectedVersion, current.Version);
        if (current.Status == AdvisoryStatus.Withdrawn)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {current.Id} was withdrawn; write a new one.");
        }

        var next = current with { Content = content, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor };
        if (current.Status != AdvisoryStatus.Published)
        {
            return next;
        }

        EnsureDeliverable(content);
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
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {current.Id} is {current.Status}; only a draft is published.");
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

    /// <summary>Withdraws an advisory, draft or published; withdrawing it again changes nothing.</summary>
    public static Advisory Withdraw(Advisory current, string reason, DateTimeOffset now, string actor) =>
        current.Status == AdvisoryStatus.Withdrawn
            ? current
            : current with
            {
                Status = AdvisoryStatus.Withdrawn, WithdrawnAt = now, WithdrawReason = reason, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor,
            };

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

    /// <summary>The recipients kept plus those not yet among them, each delivered now.</summary>
    private static AdvisoryRecipient[] Deliver(AdvisoryRecipient[] existing, string[] recipients, DateTimeOffset now) =>
        [.. existing, .. recipients.Distinct().Where(id => existing.All(r => r.StakeholderId != id)).Select(id => new AdvisoryRecipient(id, now, null, "", 0, null))];
}
