using Cirt.Grains.Common;
using Cirt.Grains.Security;

namespace Cirt.Grains.Advisories;

/// <summary>
/// What may happen to an advisory, as plain functions: each takes the advisory as it is and returns
/// it as it becomes (the same instance when nothing changes), or refuses with a
/// <see cref="CirtException"/> naming the rule. <see cref="AdvisoryGrain"/> stores what they return.
/// A draft is written, published once to organisations TLP lets it reach, updated while not
/// withdrawn, withdrawn once; its recipients acknowledge it, and the silent ones are chased.
/// </summary>
public static class AdvisoryRules
{
    /// <summary>A new draft: version 1, delivered to nobody.</summary>
    public static Advisory Draft(string id, AdvisoryContent content, DateTimeOffset now, string actor) =>
        new(id, content, AdvisoryStatus.Draft, 1, now, actor, now, actor, null, null, "", []);

    /// <summary>
    /// New content for a draft, or for a published advisory, whose new <paramref name="recipients"/>
    /// get it at once (and whose content must stay deliverable). A withdrawn advisory is final.
    /// </summary>
    public static Advisory Update(Advisory current, AdvisoryContent content, string[] recipients, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Advisory", current.Id, expectedVersion, current.Version);
        if (current.Status == AdvisoryStatus.Withdrawn)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Advisory {current.Id} was withdrawn; write a new one.");
        }

        var published = current.Status == AdvisoryStatus.Published;
        if (published)
        {
            EnsureDeliverable(content);
        }

        return current with
        {
            Content = content,
            Version = current.Version + 1,
            UpdatedAt = now,
            UpdatedBy = actor,
            Recipients = published ? Deliver(current.Recipients, recipients, now) : current.Recipients,
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
    /// Anyone else (and anyone, for a draft or a withdrawn advisory) is answered as if the advisory did not exist.
    /// </summary>
    public static Advisory Acknowledge(Advisory current, string stakeholderId, DateTimeOffset now, string actor)
    {
        var recipient = current.Status == AdvisoryStatus.Published ? current.Recipients.FirstOrDefault(r => r.StakeholderId == stakeholderId) : null;
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

    /// <summary>CIRT staff see every advisory; an operator sees one delivered to its organisation once published (withdrawn ones included); nobody else sees any.</summary>
    public static bool MaySee(Principal viewer, Advisory advisory) =>
        viewer.IsCirtStaff
        || (viewer.Role == Role.Operator && viewer.StakeholderId.Length > 0 && advisory.Status != AdvisoryStatus.Draft
            && advisory.Recipients.Any(r => r.StakeholderId == viewer.StakeholderId));

    /// <summary>The recipients so far plus those not yet among them, each delivered now.</summary>
    private static AdvisoryRecipient[] Deliver(AdvisoryRecipient[] existing, string[] recipients, DateTimeOffset now) =>
        [.. existing, .. recipients.Distinct().Where(id => existing.All(r => r.StakeholderId != id)).Select(id => new AdvisoryRecipient(id, now, null, "", 0, null))];
}
