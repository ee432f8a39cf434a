using Cirt.Grains.Partners;

namespace Cirt.Grains.Advisories;

/// <summary>
/// What a change to an advisory owes its partner recipients, as plain functions. Drafts owe nothing.
/// Publishing owes each partner recipient the advisory (<see cref="ShareAction.Publish"/>); every
/// later change partners would see owes each of them the new version, while a change they would not
/// see (its partner recipients only) owes it to those new to it; a partner taken off, and every
/// partner when it is withdrawn, is owed a recall (<see cref="ShareAction.Withdraw"/>).
/// <see cref="AdvisoryGrain"/> stores what is owed with the change (<see cref="PendingShare"/>), hands
/// it to the outbox, then records what came of it (<see cref="Recorded"/>).
/// </summary>
public static class AdvisoryShares
{
    /// <summary>What turning <paramref name="before"/> into <paramref name="after"/> owes partners.</summary>
    public static PendingShare[] Due(Advisory? before, Advisory after, string actor)
    {
        if (before is null || before.Status == AdvisoryStatus.Draft && after.Status != AdvisoryStatus.Published)
        {
            return [];
        }

        var partners = after.Content.PartnerRecipients;
        if (before.Status == AdvisoryStatus.Draft)
        {
            return Owed(partners, ShareAction.Publish, actor);
        }

        if (before.Status == AdvisoryStatus.Withdrawn || before.Version == after.Version)
        {
            return [];
        }

        var takenOff = before.Content.PartnerRecipients.Except(partners, StringComparer.Ordinal).ToArray();
        if (after.Status == AdvisoryStatus.Withdrawn)
        {
            return Owed([.. partners, .. takenOff], ShareAction.Withdraw, actor);
        }

        var publishTo = SameForPartners(before.Content, after.Content)
            ? partners.Except(before.Content.PartnerRecipients, StringComparer.Ordinal)
            : partners;
        return [.. Owed(publishTo, ShareAction.Publish, actor), .. Owed(takenOff, ShareAction.Withdraw, actor)];
    }

    /// <summary>
    /// What sharing <paramref name="before"/> with <paramref name="partnerIds"/> owes: the advisory, to
    /// each of them new to it, and to each whose agreement refused it last time (it may allow it now).
    /// Partners that have it already are not sent it again.
    /// </summary>
    public static PendingShare[] OnShare(Advisory before, string[] partnerIds, string actor) =>
        Owed(
            partnerIds.Where(p => !before.Content.PartnerRecipients.Contains(p, StringComparer.Ordinal)
                                  || before.PartnerShares.Any(s => s.PartnerId == p && s.MessageId.Length == 0)),
            ShareAction.Publish,
            actor);

    /// <summary>What is owed after <paramref name="due"/> joins <paramref name="pending"/>: the latest for each partner.</summary>
    public static PendingShare[] Merge(PendingShare[] pending, PendingShare[] due) =>
        [.. pending.Where(p => due.All(d => d.PartnerId != p.PartnerId)), .. due];

    /// <summary>
    /// <paramref name="advisory"/> once the outbox took <paramref name="queued"/>: those are no longer
    /// owed, and each partner's latest outcome replaces the one before.
    /// </summary>
    public static Advisory Recorded(Advisory advisory, IReadOnlyCollection<PendingShare> queued, IReadOnlyCollection<ShareOutcome> outcomes) =>
        advisory with
        {
            PendingShares = advisory.PendingShares.Where(p => !queued.Contains(p)).ToArray(),
            PartnerShares = [.. advisory.PartnerShares.Where(s => outcomes.All(o => o.PartnerId != s.PartnerId)), .. outcomes],
        };

    /// <summary>Whether partners would see the same advisory in both (all but who it is shared with).</summary>
    public static bool SameForPartners(AdvisoryContent a, AdvisoryContent b) =>
        a.Title == b.Title
        && a.Summary == b.Summary
        && a.AffectedProducts.SequenceEqual(b.AffectedProducts)
        && a.Cves.SequenceEqual(b.Cves)
        && a.Indicators.SequenceEqual(b.Indicators)
        && a.RecommendedActions.SequenceEqual(b.RecommendedActions)
        && a.Tlp == b.Tlp
        && a.TargetSectors.SequenceEqual(b.TargetSectors)
        && a.TargetStakeholders.SequenceEqual(b.TargetStakeholders)
        && a.IncidentTrackingId == b.IncidentTrackingId;

    private static PendingShare[] Owed(IEnumerable<string> partnerIds, ShareAction action, string actor) =>
        partnerIds.Distinct(StringComparer.Ordinal).Select(p => new PendingShare(p, action, actor)).ToArray();
}
