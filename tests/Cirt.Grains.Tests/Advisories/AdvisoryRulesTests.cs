using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Advisories;

public sealed class AdvisoryRulesTests
{
    private static readonly DateTimeOffset Drafted = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Drafted.AddHours(1);
    private static readonly TimeSpan ChaseAfter = TimeSpan.FromHours(24);

    private static AdvisoryContent Content(Tlp tlp = Tlp.Amber, string[]? sectors = null, string[]? stakeholders = null) => new(
        "Actively exploited VPN appliance vulnerability", "Unauthenticated remote code execution in ExampleVPN 9.x.",
        ["ExampleVPN 9.0-9.4"], [new AffectedCve("CVE-2026-12345", 9.8)], [], ["Upgrade to 9.5"], tlp,
        sectors ?? ["ENERGY"], stakeholders ?? [], "");

    private static Advisory Draft(AdvisoryContent? content = null) => AdvisoryRules.Draft("ADV-2026-0001", content ?? Content(), Drafted, "carol");

    private static Advisory Published(params string[] recipients) => AdvisoryRules.Publish(Draft(), recipients, 1, Drafted, "carol");

    [Fact]
    public void ADraftIsVersionOneDeliveredToNobody()
    {
        var draft = Draft();

        Assert.Equal(AdvisoryStatus.Draft, draft.Status);
        Assert.Equal(1, draft.Version);
        Assert.Empty(draft.Recipients);
        Assert.Equal(("carol", Drafted), (draft.CreatedBy, draft.CreatedAt));
        Assert.Null(draft.PublishedAt);
    }

    [Fact]
    public void PublishingADraftDeliversItToEachRecipientOnce()
    {
        var published = AdvisoryRules.Publish(Draft(), ["gridco", "watershed", "gridco"], 1, Later, "dave");

        Assert.Equal(AdvisoryStatus.Published, published.Status);
        Assert.Equal(2, published.Version);
        Assert.Equal(Later, published.PublishedAt);
        Assert.Equal(("dave", Later), (published.UpdatedBy, published.UpdatedAt));
        Assert.Equal(["gridco", "watershed"], published.Recipients.Select(r => r.StakeholderId));
        Assert.All(published.Recipients, r => Assert.Equal((Later, (DateTimeOffset?)null, 0), (r.DeliveredAt, r.AcknowledgedAt, r.Reminders)));
    }

    [Theory]
    [InlineData(AdvisoryStatus.Published)]
    [InlineData(AdvisoryStatus.Withdrawn)]
    public void OnlyADraftIsPublished(AdvisoryStatus status)
    {
        var advisory = status == AdvisoryStatus.Published ? Published("gridco") : AdvisoryRules.Withdraw(Draft(), "superseded", Later, "carol");

        var refused = Assert.Throws<CirtException>(() => AdvisoryRules.Publish(advisory, ["gridco"], 0, Later, "carol"));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("only a draft is published", refused.Message);
    }

    [Fact]
    public void ATlpRedAdvisoryIsNeverDeliveredToOrganisations()
    {
        var refused = Assert.Throws<CirtException>(() => AdvisoryRules.Publish(Draft(Content(Tlp.Red)), ["gridco"], 1, Later, "carol"));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "content.tlp"), (refused.Kind, refused.Field));
        Assert.Contains("TLP:RED", refused.Message);
        // A published advisory cannot be turned RED either; a draft may be (it goes nowhere).
        var toRed = Assert.Throws<CirtException>(() => AdvisoryRules.Update(Published("gridco"), Content(Tlp.Red), ["gridco"], 2, Later, "carol"));
        Assert.Equal("content.tlp", toRed.Field);
        Assert.Equal(Tlp.Red, AdvisoryRules.Update(Draft(), Content(Tlp.Red), [], 1, Later, "carol").Content.Tlp);
    }

    [Theory]
    [InlineData(Tlp.Clear)]
    [InlineData(Tlp.Green)]
    [InlineData(Tlp.Amber)]
    [InlineData(Tlp.AmberStrict)]
    public void EveryOtherLabelReachesTheRecipientsOrganisation(Tlp tlp) =>
        Assert.Equal(AdvisoryStatus.Published, AdvisoryRules.Publish(Draft(Content(tlp)), ["gridco"], 1, Later, "carol").Status);

    [Fact]
    public void AnAdvisoryWithoutATargetIsNotPublished()
    {
        var refused = Assert.Throws<CirtException>(() => AdvisoryRules.Publish(Draft(Content(sectors: [], stakeholders: [])), [], 1, Later, "carol"));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "content.target_stakeholders"), (refused.Kind, refused.Field));
        Assert.Equal(AdvisoryStatus.Published, AdvisoryRules.Publish(Draft(Content(sectors: [], stakeholders: ["gridco"])), ["gridco"], 1, Later, "carol").Status);
    }

    [Fact]
    public void AStaleExpectedVersionIsAConflictAndZeroSkipsTheCheck()
    {
        var conflict = Assert.Throws<CirtException>(() => AdvisoryRules.Publish(Draft(), ["gridco"], 7, Later, "carol"));

        Assert.Equal((CirtErrorKind.Conflict, "expected_version"), (conflict.Kind, conflict.Field));
        Assert.Equal(CirtErrorKind.Conflict, Assert.Throws<CirtException>(() => AdvisoryRules.Update(Draft(), Content(), [], 2, Later, "carol")).Kind);
        Assert.Equal(2, AdvisoryRules.Update(Draft(), Content(), [], 0, Later, "carol").Version);
    }

    [Fact]
    public void UpdatingADraftChangesItsContentAndDeliversNothing()
    {
        var updated = AdvisoryRules.Update(Draft(), Content(Tlp.Green), ["gridco"], 1, Later, "dave");

        Assert.Equal((Tlp.Green, 2L, "dave"), (updated.Content.Tlp, updated.Version, updated.UpdatedBy));
        Assert.Empty(updated.Recipients);
    }

    [Fact]
    public void UpdatingAPublishedAdvisoryDeliversItToNewRecipientsOnlyAndKeepsWhatTheOthersDid()
    {
        var published = AdvisoryRules.Acknowledge(Published("gridco"), "gridco", Drafted.AddMinutes(5), "soc@gridco");

        // Acknowledgements are the recipients' and leave the version (the coordinators' edit token) alone.
        Assert.Equal(2, published.Version);
        var updated = AdvisoryRules.Update(published, Content(Tlp.Green), ["gridco", "watershed"], 2, Later, "carol");

        Assert.Equal(["gridco", "watershed"], updated.Recipients.Select(r => r.StakeholderId));
        Assert.Equal(published.Recipients[0], updated.Recipients[0]);
        Assert.Equal((Later, (DateTimeOffset?)null), (updated.Recipients[1].DeliveredAt, updated.Recipients[1].AcknowledgedAt));
    }

    [Fact]
    public void NarrowingAPublishedAdvisoryTakesTheOthersOffWithTheVersionTheyWereSent()
    {
        var published = AdvisoryRules.Acknowledge(Published("gridco", "firstbank"), "gridco", Drafted.AddMinutes(5), "soc@gridco");
        var strict = Content(Tlp.AmberStrict, sectors: [], stakeholders: ["firstbank"]) with { Title = "FirstBank: compromised SWIFT account" };

        var narrowed = AdvisoryRules.Update(published, strict, ["firstbank"], 2, Later, "dave");

        Assert.Equal([published.Recipients[1]], narrowed.Recipients);
        var gridco = Assert.Single(narrowed.FormerRecipients);
        Assert.Equal((published.Recipients[0], 2L, Later, "dave"), (gridco.Recipient, gridco.LastVersion, gridco.RemovedAt, gridco.RemovedBy));
        var kept = Assert.Single(narrowed.Editions);
        Assert.Equal((2L, published.Content, published.UpdatedAt, published.UpdatedBy), (kept.Version, kept.Content, kept.UpdatedAt, kept.UpdatedBy));
        Assert.Equal((strict, 3L), (narrowed.Content, narrowed.Version));
    }

    [Fact]
    public void AnOrganisationTakenOffSeesOnlyTheVersionItWasSentWithdrawnForIt()
    {
        var published = Published("gridco", "firstbank");
        var narrowed = AdvisoryRules.Update(published, Content(Tlp.AmberStrict, stakeholders: ["firstbank"]) with { Summary = "new text" }, ["firstbank"], 0, Later, "dave");

        var seen = AdvisoryRules.AsSeenBy(Operator("gridco"), narrowed);

        Assert.NotNull(seen);
        Assert.Equal((published.Content, published.Version, published.UpdatedAt, published.UpdatedBy), (seen.Content, seen.Version, seen.UpdatedAt, seen.UpdatedBy));
        Assert.Equal((AdvisoryStatus.Withdrawn, (DateTimeOffset?)Later), (seen.Status, seen.WithdrawnAt));
        Assert.Contains("no longer addressed to your organisation", seen.WithdrawReason, StringComparison.Ordinal);
        Assert.Empty(seen.Recipients);
        Assert.Equal(["gridco"], seen.FormerRecipients.Select(f => f.StakeholderId));
        Assert.Empty(seen.Editions);
        Assert.Same(narrowed, AdvisoryRules.AsSeenBy(Operator("firstbank"), narrowed));
        Assert.Same(narrowed, AdvisoryRules.AsSeenBy(new Principal("c0ffee0000000001", "carol", Role.Coordinator, "", ""), narrowed));
        Assert.Null(AdvisoryRules.AsSeenBy(Operator("watershed"), narrowed));
    }

    [Fact]
    public void LaterUpdatesAndAWithdrawalDoNotChangeWhatAnOrganisationTakenOffSees()
    {
        var published = Published("gridco", "firstbank", "watershed");
        var first = AdvisoryRules.Update(published, Content(Tlp.Amber, stakeholders: ["firstbank", "watershed"]) with { Summary = "v3" }, ["firstbank", "watershed"], 0, Later, "dave");
        var second = AdvisoryRules.Update(first, Content(Tlp.AmberStrict, stakeholders: ["firstbank"]) with { Summary = "v4" }, ["firstbank"], 0, Later.AddHours(1), "dave");
        var third = AdvisoryRules.Update(second, Content(Tlp.AmberStrict, stakeholders: ["firstbank"]) with { Summary = "v5" }, ["firstbank"], 0, Later.AddHours(2), "dave");
        var withdrawn = AdvisoryRules.Withdraw(third, "resolved", Later.AddHours(3), "carol");

        Assert.Equal([2L, 3L], third.Editions.Select(e => e.Version));
        Assert.Equal([("gridco", 2L), ("watershed", 3L)], withdrawn.FormerRecipients.Select(f => (f.StakeholderId, f.LastVersion)));
        Assert.Equal((published.Content.Summary, (DateTimeOffset?)Later), Seen("gridco", withdrawn));
        Assert.Equal(("v3", (DateTimeOffset?)Later.AddHours(1)), Seen("watershed", withdrawn));
        Assert.Equal(("v5", (DateTimeOffset?)Later.AddHours(3)), Seen("firstbank", withdrawn));
    }

    [Fact]
    public void AnOrganisationNamedAgainIsDeliveredTheAdvisoryAnewAndItsOldVersionIsNoLongerKept()
    {
        var published = AdvisoryRules.Acknowledge(Published("gridco", "firstbank"), "gridco", Drafted.AddMinutes(5), "soc@gridco");
        var narrowed = AdvisoryRules.Update(published, Content(stakeholders: ["firstbank"]), ["firstbank"], 0, Later, "dave");

        var widened = AdvisoryRules.Update(narrowed, Content(stakeholders: ["firstbank", "gridco"]), ["firstbank", "gridco"], 0, Later.AddHours(1), "dave");

        Assert.Equal(["firstbank", "gridco"], widened.Recipients.Select(r => r.StakeholderId));
        Assert.Equal((Later.AddHours(1), (DateTimeOffset?)null), (widened.Recipients[1].DeliveredAt, widened.Recipients[1].AcknowledgedAt));
        Assert.Empty(widened.FormerRecipients);
        Assert.Empty(widened.Editions);
        Assert.Same(widened, AdvisoryRules.AsSeenBy(Operator("gridco"), widened));
    }

    [Fact]
    public void AnOrganisationTakenOffHasNothingToAcknowledgeAndIsNotChased()
    {
        var narrowed = AdvisoryRules.Update(Published("gridco", "firstbank"), Content(stakeholders: ["firstbank"]), ["firstbank"], 0, Later, "dave");

        var refused = Assert.Throws<CirtException>(() => AdvisoryRules.Acknowledge(narrowed, "gridco", Later, "soc@gridco"));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("no longer addressed to your organisation", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["firstbank"], Chase(narrowed, Drafted + ChaseAfter + ChaseAfter));
        Assert.False(AdvisoryRules.NeedsChasing(AdvisoryRules.Acknowledge(narrowed, "firstbank", Later, "soc@firstbank")));
    }

    [Fact]
    public void AnAdvisoryStoredBeforeFormerRecipientsWereKeptReadsBackWithEmptyLists()
    {
        var old = Published("gridco") with { FormerRecipients = null!, Editions = null! };

        var read = old.WithListsPresent();

        Assert.Equal((0, 0), (read.FormerRecipients.Length, read.Editions.Length));
        Assert.Same(read, read.WithListsPresent());
        Assert.Same(read, AdvisoryRules.AsSeenBy(Operator("gridco"), read));
    }

    [Fact]
    public void AWithdrawnAdvisoryIsFinal()
    {
        var withdrawn = AdvisoryRules.Withdraw(Published("gridco"), "Superseded by ADV-2026-0002", Later, "carol");

        Assert.Equal((AdvisoryStatus.Withdrawn, Later, "Superseded by ADV-2026-0002", 3L), (withdrawn.Status, withdrawn.WithdrawnAt, withdrawn.WithdrawReason, withdrawn.Version));
        Assert.Same(withdrawn, AdvisoryRules.Withdraw(withdrawn, "again", Later.AddHours(1), "dave"));
        var refused = Assert.Throws<CirtException>(() => AdvisoryRules.Update(withdrawn, Content(), [], 0, Later, "carol"));
        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Equal(CirtErrorKind.NotFound, Assert.Throws<CirtException>(() => AdvisoryRules.Acknowledge(withdrawn, "gridco", Later, "soc@gridco")).Kind);
    }

    [Fact]
    public void ARecipientAcknowledgesOnceAndAgainChangesNothing()
    {
        var acknowledged = AdvisoryRules.Acknowledge(Published("gridco", "watershed"), "gridco", Later, "soc@gridco");

        var gridco = acknowledged.Recipients.Single(r => r.StakeholderId == "gridco");
        Assert.Equal((Later, "soc@gridco"), (gridco.AcknowledgedAt, gridco.AcknowledgedBy));
        Assert.Null(acknowledged.Recipients.Single(r => r.StakeholderId == "watershed").AcknowledgedAt);
        Assert.Same(acknowledged, AdvisoryRules.Acknowledge(acknowledged, "gridco", Later.AddHours(1), "other@gridco"));
    }

    [Fact]
    public void WhoeverDidNotReceiveAPublishedAdvisoryCannotAcknowledgeItNorCanAnyoneADraft()
    {
        Assert.Equal(CirtErrorKind.NotFound, Assert.Throws<CirtException>(() => AdvisoryRules.Acknowledge(Published("gridco"), "watershed", Later, "soc@watershed")).Kind);
        Assert.Equal(CirtErrorKind.NotFound, Assert.Throws<CirtException>(() => AdvisoryRules.Acknowledge(Draft(), "gridco", Later, "soc@gridco")).Kind);
    }

    [Fact]
    public void SilentRecipientsAreChasedOnceADayAfterDeliveryThenADayAfterEachReminder()
    {
        var published = AdvisoryRules.Acknowledge(Published("gridco", "watershed"), "gridco", Drafted.AddHours(2), "soc@gridco");

        Assert.Same(published, AdvisoryRules.Chase(published, Drafted + ChaseAfter - TimeSpan.FromSeconds(1), ChaseAfter, out var early));
        Assert.Empty(early);

        var first = AdvisoryRules.Chase(published, Drafted + ChaseAfter, ChaseAfter, out var chased);
        Assert.Equal(["watershed"], chased);
        var watershed = first.Recipients.Single(r => r.StakeholderId == "watershed");
        Assert.Equal((1, (DateTimeOffset?)(Drafted + ChaseAfter)), (watershed.Reminders, watershed.LastRemindedAt));
        Assert.Equal(0, first.Recipients.Single(r => r.StakeholderId == "gridco").Reminders);

        Assert.Empty(Chase(first, Drafted + ChaseAfter + ChaseAfter - TimeSpan.FromSeconds(1)));
        Assert.Equal(["watershed"], Chase(first, Drafted + ChaseAfter + ChaseAfter));
    }

    [Fact]
    public void OnlyAPublishedAdvisoryWithASilentRecipientIsChased()
    {
        var published = Published("gridco");
        var acknowledged = AdvisoryRules.Acknowledge(published, "gridco", Later, "soc@gridco");
        var withdrawn = AdvisoryRules.Withdraw(published, "superseded", Later, "carol");
        var overdue = Drafted + ChaseAfter + ChaseAfter;

        Assert.True(AdvisoryRules.NeedsChasing(published));
        Assert.False(AdvisoryRules.NeedsChasing(acknowledged));
        Assert.False(AdvisoryRules.NeedsChasing(withdrawn));
        Assert.False(AdvisoryRules.NeedsChasing(Draft()));
        Assert.Empty(Chase(withdrawn, overdue));
        Assert.Empty(Chase(acknowledged, overdue));
    }

    [Theory]
    [InlineData(Role.Analyst, "", AdvisoryStatus.Draft, true)]
    [InlineData(Role.Coordinator, "", AdvisoryStatus.Draft, true)]
    [InlineData(Role.Operator, "gridco", AdvisoryStatus.Draft, false)]
    [InlineData(Role.Operator, "gridco", AdvisoryStatus.Published, true)]
    [InlineData(Role.Operator, "gridco", AdvisoryStatus.Withdrawn, true)]
    [InlineData(Role.Operator, "watershed", AdvisoryStatus.Published, false)]
    [InlineData(Role.Operator, "", AdvisoryStatus.Published, false)]
    [InlineData(Role.Partner, "", AdvisoryStatus.Published, false)]
    [InlineData(Role.Partner, "gridco", AdvisoryStatus.Published, false)]
    [InlineData(Role.Operator, "firstbank", AdvisoryStatus.Published, true)]
    [InlineData(Role.Operator, "firstbank", AdvisoryStatus.Withdrawn, true)]
    [InlineData(Role.Partner, "firstbank", AdvisoryStatus.Published, false)]
    public void CirtStaffSeeEveryAdvisoryAndAnOperatorOnlyOneDeliveredToItsOrganisation(Role role, string stakeholderId, AdvisoryStatus status, bool expected)
    {
        // firstbank was a recipient until an update took it off: it still sees what it was sent.
        var delivered = AdvisoryRules.Update(Published("gridco", "firstbank"), Content(), ["gridco"], 0, Later, "dave");
        var advisory = status switch
        {
            AdvisoryStatus.Draft => Draft(),
            AdvisoryStatus.Withdrawn => AdvisoryRules.Withdraw(delivered, "superseded", Later, "carol"),
            _ => delivered,
        };

        Assert.Equal(expected, AdvisoryRules.MaySee(new Principal("a1b2c3d4e5f60718", "someone", role, stakeholderId, ""), advisory));
    }

    private static Principal Operator(string stakeholderId) => new("a1b2c3d4e5f60718", "soc", Role.Operator, stakeholderId, "");

    /// <summary>The summary <paramref name="stakeholderId"/> sees, and since when the advisory is withdrawn for it.</summary>
    private static (string Summary, DateTimeOffset? WithdrawnAt) Seen(string stakeholderId, Advisory advisory) =>
        AdvisoryRules.AsSeenBy(Operator(stakeholderId), advisory) is { } seen ? (seen.Content.Summary, seen.WithdrawnAt) : ("(nothing)", null);

    private static IReadOnlyList<string> Chase(Advisory advisory, DateTimeOffset now)
    {
        AdvisoryRules.Chase(advisory, now, ChaseAfter, out var chased);
        return chased;
    }
}
