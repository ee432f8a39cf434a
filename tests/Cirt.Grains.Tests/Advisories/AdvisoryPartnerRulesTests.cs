using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// The rules for advisories and partner CIRTs: who an advisory may be shared with, what arrives from a
/// partner and what our coordinators may do with it, and what only its origin may do.
/// </summary>
public sealed class AdvisoryPartnerRulesTests
{
    private const string Id = "ADV-2026-0042";
    private static readonly DateTimeOffset Received = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Received.AddHours(1);
    private static readonly DateTimeOffset OriginPublished = Received.AddMinutes(-5);

    private static readonly Principal Coordinator = new("c0ffee0000000001", "carol", Role.Coordinator, "", "");

    private static AdvisoryContent Content(Tlp tlp = Tlp.Green, string title = "Actively exploited VPN appliance vulnerability") => new(
        title, "Unauthenticated remote code execution in ExampleVPN 9.x.",
        ["ExampleVPN 9.0-9.4"], [new AffectedCve("CVE-2026-12345", 9.8)], [], ["Upgrade to 9.5"], tlp, ["ENERGY"], [], "");

    /// <summary>Version <paramref name="version"/> of cirt-de's ADV-DE-7, delivered by <paramref name="sender"/> (by default cirt-de itself).</summary>
    private static ItemOrigin FromGermany(long version = 1, string sender = "cirt-de") =>
        new("cirt-de", "DE", "ADV-DE-7", version, sender == "cirt-de" ? ["cirt-de"] : ["cirt-de", sender], sender != "cirt-de", sender);

    private static Advisory ReceivedDraft(Tlp tlp = Tlp.Green) => AdvisoryRules.Receive(Id, null, Content(tlp), FromGermany(), OriginPublished, Received);

    private static Advisory PublishedHere(Tlp tlp = Tlp.Green) => AdvisoryRules.Publish(ReceivedDraft(tlp), ["gridco", "watershed"], 1, Received, "carol");

    private static Principal Operator(string stakeholderId) => new("a1b2c3d4e5f60718", "soc", Role.Operator, stakeholderId, "");

    private static CirtException Refused(Func<Advisory> change) => Assert.Throws<CirtException>(change);

    [Fact]
    public void AnAdvisoryNamesAtMostFiftyPartnersEachShapedLikeOneAndNoneTwice()
    {
        var tooMany = Content() with { PartnerRecipients = Enumerable.Range(1, 51).Select(i => $"cirt-{i}").ToArray() };
        var badShape = Content() with { PartnerRecipients = ["cirt-de", "CIRT FR"] };
        var twice = Content() with { PartnerRecipients = ["cirt-de", "cirt-fr", "cirt-de"] };

        Assert.Equal(("content.partner_recipients", CirtErrorKind.InvalidArgument), Field(() => AdvisoryRules.Draft(Id, tooMany, Received, "carol")));
        Assert.Equal(("content.partner_recipients[1]", CirtErrorKind.InvalidArgument), Field(() => AdvisoryRules.Draft(Id, badShape, Received, "carol")));
        Assert.Equal(("content.partner_recipients[2]", CirtErrorKind.InvalidArgument), Field(() => AdvisoryRules.Draft(Id, twice, Received, "carol")));
        var fifty = Content() with { PartnerRecipients = Enumerable.Range(1, 50).Select(i => $"cirt-{i}").ToArray() };
        Assert.Equal(50, AdvisoryRules.Draft(Id, fifty, Received, "carol").Content.PartnerRecipients.Length);
        var draft = AdvisoryRules.Draft(Id, Content(), Received, "carol");
        Assert.Equal("content.partner_recipients", Field(() => AdvisoryRules.Update(draft, tooMany, [], 1, Later, "carol")).Field);
    }

    [Fact]
    public void AReceivedAdvisoryArrivesAsADraftWithItsOriginThatNoOperatorSees()
    {
        var content = Content() with { IncidentTrackingId = "CIRT-2026-000001", PartnerRecipients = ["cirt-fr"] };

        var draft = AdvisoryRules.Receive(Id, null, content, FromGermany(), OriginPublished, Received);

        Assert.Equal((AdvisoryStatus.Draft, 1L, "partner:cirt-de", Received), (draft.Status, draft.Version, draft.CreatedBy, draft.CreatedAt));
        Assert.Equivalent(FromGermany(), draft.Origin, strict: true);
        Assert.Equal(OriginPublished, draft.OriginPublishedAt);
        Assert.Equal(["ENERGY"], draft.Content.TargetSectors);
        // Their incident and their partners are not ours.
        Assert.Equal(("", 0), (draft.Content.IncidentTrackingId, draft.Content.PartnerRecipients.Length));
        Assert.Null(AdvisoryRules.AsSeenBy(Operator("gridco"), draft));
        Assert.Same(draft, AdvisoryRules.AsSeenBy(Coordinator, draft));
    }

    [Fact]
    public void ANewerVersionFromTheOriginReplacesTheContentAndKeepsOurTargetsAndPartners()
    {
        var ours = AdvisoryRules.Update(ReceivedDraft(), Content() with { TargetSectors = ["BANKING"], TargetStakeholders = ["gridco"], PartnerRecipients = ["cirt-fr"] }, [], 1, Received, "carol");

        var updated = AdvisoryRules.Receive(Id, ours, Content(title: "VPN flaw: patch now") with { TargetSectors = ["HEALTH"] }, FromGermany(2), OriginPublished, Later);

        Assert.Equal(("VPN flaw: patch now", 3L, 2L), (updated.Content.Title, updated.Version, updated.Origin!.ItemVersion));
        Assert.Equal(["BANKING"], updated.Content.TargetSectors);
        Assert.Equal(["gridco"], updated.Content.TargetStakeholders);
        Assert.Equal(["cirt-fr"], updated.Content.PartnerRecipients);
        Assert.Equal(("partner:cirt-de", Later, AdvisoryStatus.Draft), (updated.UpdatedBy, updated.UpdatedAt, updated.Status));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AnOlderOrEqualVersionChangesNothing(long version)
    {
        var held = AdvisoryRules.Receive(Id, ReceivedDraft(), Content(title: "Version 2"), FromGermany(2), OriginPublished, Later);

        Assert.Same(held, AdvisoryRules.Receive(Id, held, Content(title: "A late copy"), FromGermany(version), OriginPublished, Later.AddHours(1)));
    }

    [Fact]
    public void APublishedReceivedAdvisoryReachesItsRecipientsWithTheOriginsNewVersionAndTheyKeepTheirAcknowledgement()
    {
        var acknowledged = AdvisoryRules.Acknowledge(PublishedHere(), "gridco", Received, "soc@gridco");

        var updated = AdvisoryRules.Receive(Id, acknowledged, Content(title: "VPN flaw: patch now"), FromGermany(2), OriginPublished, Later);

        Assert.Equal(["gridco", "watershed"], updated.Recipients.Select(r => r.StakeholderId));
        Assert.NotNull(updated.Recipients[0].AcknowledgedAt);
        Assert.Equal("VPN flaw: patch now", AdvisoryRules.AsSeenBy(Operator("watershed"), updated)!.Content.Title);
    }

    [Theory]
    [InlineData(Tlp.AmberStrict)]
    [InlineData(Tlp.Red)]
    public void WhenTheOriginNarrowsItBeyondOurConstituencyOurRecipientsKeepWhatTheyHadAndGetNothingNewer(Tlp tlp)
    {
        var published = PublishedHere();

        var narrowed = AdvisoryRules.Receive(Id, published, Content(tlp, "For CIRTs only"), FromGermany(2), OriginPublished, Later);

        Assert.Empty(narrowed.Recipients);
        Assert.Equal(["gridco", "watershed"], narrowed.FormerRecipients.Select(f => f.StakeholderId));
        var seen = AdvisoryRules.AsSeenBy(Operator("gridco"), narrowed)!;
        Assert.Equal((AdvisoryStatus.Withdrawn, "Actively exploited VPN appliance vulnerability", published.Version), (seen.Status, seen.Content.Title, seen.Version));
        Assert.Equal("For CIRTs only", narrowed.Content.Title);
    }

    [Fact]
    public void OnlyTheOriginOrThePartnerItCameFromChangesAReceivedAdvisory()
    {
        var viaNetherlands = AdvisoryRules.Receive(Id, null, Content(), FromGermany(1, "cirt-nl"), OriginPublished, Received);

        var refused = Refused(() => AdvisoryRules.Receive(Id, viaNetherlands, Content(title: "Forged"), FromGermany(2, "cirt-be"), OriginPublished, Later));
        var withdrawal = Refused(() => AdvisoryRules.ReceiveWithdrawal(Id, viaNetherlands, FromGermany(2, "cirt-be"), "forged", Later, Later));
        var relayed = AdvisoryRules.Receive(Id, viaNetherlands, Content(title: "Relayed"), FromGermany(2, "cirt-nl"), OriginPublished, Later);
        var direct = AdvisoryRules.Receive(Id, relayed, Content(title: "Direct"), FromGermany(3), OriginPublished, Later);

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.Contains("only its origin, or cirt-nl which shared it with us", refused.Message);
        Assert.Equal(CirtErrorKind.PermissionDenied, withdrawal.Kind);
        Assert.Equal(("Relayed", "Direct", "cirt-de"), (relayed.Content.Title, direct.Content.Title, direct.Origin!.ReceivedFrom));
    }

    [Fact]
    public void ItsContentIsTheOriginsAndOnlyItsTargetsAndPartnersChangeHere()
    {
        var draft = ReceivedDraft();

        var retitled = Refused(() => AdvisoryRules.Update(draft, Content(title: "Our own title"), [], 1, Later, "carol"));
        var relabelled = Refused(() => AdvisoryRules.Update(draft, Content(Tlp.Clear), [], 1, Later, "carol"));
        var retargeted = AdvisoryRules.Update(draft, Content() with { TargetSectors = ["BANKING"], PartnerRecipients = ["cirt-fr"] }, [], 1, Later, "carol");

        Assert.Equal((CirtErrorKind.FailedPrecondition, "content.title"), (retitled.Kind, retitled.Field));
        Assert.Contains("only its origin changes its content", retitled.Message);
        Assert.Equal("content.tlp", relabelled.Field);
        Assert.Equal(["BANKING"], retargeted.Content.TargetSectors);
        Assert.Equal(["cirt-fr"], retargeted.Content.PartnerRecipients);
        Assert.Equal(2L, retargeted.Version);
    }

    [Fact]
    public void OnlyItsOriginWithdrawsAReceivedAdvisory()
    {
        var refused = Refused(() => AdvisoryRules.Withdraw(PublishedHere(), "we think it is wrong", Later, "carol"));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("only its origin cirt-de may withdraw it", refused.Message);
    }

    [Theory]
    [InlineData(Tlp.Clear, true)]
    [InlineData(Tlp.Green, true)]
    [InlineData(Tlp.Amber, true)]
    [InlineData(Tlp.AmberStrict, false)]
    [InlineData(Tlp.Red, false)]
    public void OurCoordinatorsPublishAReceivedAdvisoryToOurConstituencyOnlyAsFarAsItsTlpGoes(Tlp tlp, bool allowed)
    {
        Assert.Equal(allowed, AdvisoryRules.RefusalToRepublish(tlp) is null);
        if (allowed)
        {
            Assert.Equal(AdvisoryStatus.Published, PublishedHere(tlp).Status);
        }
        else
        {
            var refused = Refused(() => PublishedHere(tlp));
            Assert.Equal((CirtErrorKind.FailedPrecondition, "content.tlp"), (refused.Kind, refused.Field));
            Assert.Contains(tlp == Tlp.Red ? "for its named recipients only" : "for this CIRT only, not for its constituency", refused.Message);
        }
    }

    [Fact]
    public void AReceivedAdvisoryWithoutALabelIsNotPublishedHere() =>
        Assert.Equal("It has no TLP label: it cannot be re-published.", AdvisoryRules.RefusalToRepublish((Tlp)0));

    [Theory]
    [InlineData(Tlp.Clear, "cirt-fr", true)]
    [InlineData(Tlp.Green, "cirt-fr", true)]
    [InlineData(Tlp.Amber, "cirt-fr", false)]
    [InlineData(Tlp.AmberStrict, "cirt-fr", false)]
    [InlineData(Tlp.Green, "cirt-de", false)]
    [InlineData(Tlp.Green, "cirt-nl", false)]
    public void AReceivedAdvisoryIsPassedOnOnlyAtClearOrGreenAndNeverBackAlongItsRoute(Tlp tlp, string partner, bool allowed)
    {
        var viaNetherlands = FromGermany(1, "cirt-nl");

        Assert.Equal(allowed, AdvisoryRules.RefusalToReshare(viaNetherlands, tlp, partner) is null);
        var draft = AdvisoryRules.Receive(Id, null, Content(tlp), viaNetherlands, OriginPublished, Received);
        var update = () => AdvisoryRules.Update(draft, draft.Content with { PartnerRecipients = [partner] }, [], 1, Later, "carol");
        if (allowed)
        {
            Assert.Equal([partner], update().Content.PartnerRecipients);
        }
        else
        {
            Assert.Equal((CirtErrorKind.FailedPrecondition, "partner_recipients"), (Refused(update).Kind, Refused(update).Field));
        }
    }

    [Fact]
    public void WhenTheOriginRaisesItsTlpThePartnersWePassedItOnToAreTakenOff()
    {
        var shared = AdvisoryRules.Share(PublishedHere(), ["cirt-fr"], Later, "carol");

        var amber = AdvisoryRules.Receive(Id, shared, Content(Tlp.Amber), FromGermany(2), OriginPublished, Later);

        Assert.Empty(amber.Content.PartnerRecipients);
        Assert.Equal(["gridco", "watershed"], amber.Recipients.Select(r => r.StakeholderId));
    }

    [Fact]
    public void ItsOriginsWithdrawalWithdrawsItHereOnceAndItsRecipientsSeeItWithdrawn()
    {
        var published = PublishedHere();

        var withdrawn = AdvisoryRules.ReceiveWithdrawal(Id, published, FromGermany(3), "Vendor retracted the advisory", Later, Later);

        Assert.Equal((AdvisoryStatus.Withdrawn, Later, "partner:cirt-de", 3L), (withdrawn.Status, withdrawn.WithdrawnAt, withdrawn.UpdatedBy, withdrawn.Version));
        Assert.Equal("Withdrawn by the partner CIRT that shared it (DE) on 2026-11-25 09:00 UTC: Vendor retracted the advisory", withdrawn.WithdrawReason);
        Assert.Equal(AdvisoryStatus.Withdrawn, AdvisoryRules.AsSeenBy(Operator("gridco"), withdrawn)!.Status);
        Assert.Same(withdrawn, AdvisoryRules.ReceiveWithdrawal(Id, withdrawn, FromGermany(3), "again", Later, Later.AddHours(1)));
        Assert.Same(withdrawn, AdvisoryRules.Receive(Id, withdrawn, Content(title: "Back again?"), FromGermany(4), OriginPublished, Later.AddHours(1)));
    }

    [Fact]
    public void AWithdrawalOfAnAdvisoryThatNeverReachedUsIsRecordedSoThatALateCopyDoesNotBringItBack()
    {
        var recorded = AdvisoryRules.ReceiveWithdrawal(Id, null, FromGermany(2), "Sent in error", Later, Later);

        Assert.Equal((AdvisoryStatus.Withdrawn, 2L), (recorded.Status, recorded.Origin!.ItemVersion));
        Assert.Equal("ADV-DE-7 from cirt-de: withdrawn before it reached us", recorded.Content.Title);
        Assert.Same(recorded, AdvisoryRules.Receive(Id, recorded, Content(), FromGermany(1), OriginPublished, Later.AddMinutes(1)));
        Assert.Null(AdvisoryRules.AsSeenBy(Operator("gridco"), recorded));
    }

    [Fact]
    public void APartnerCannotChangeOrWithdrawOneOfOurOwnAdvisories()
    {
        var ours = AdvisoryRules.Draft(Id, Content(), Received, "carol");

        Assert.Equal(CirtErrorKind.PermissionDenied, Refused(() => AdvisoryRules.Receive(Id, ours, Content(), FromGermany(5), OriginPublished, Later)).Kind);
        Assert.Equal(CirtErrorKind.PermissionDenied, Refused(() => AdvisoryRules.ReceiveWithdrawal(Id, ours, FromGermany(5), "no", Later, Later)).Kind);
    }

    [Fact]
    public void SharingAddsPartnersToAPublishedAdvisoryOnly()
    {
        var draft = AdvisoryRules.Draft(Id, Content(), Received, "carol");
        var published = AdvisoryRules.Publish(draft with { Content = draft.Content with { PartnerRecipients = ["cirt-de"] } }, ["gridco"], 1, Received, "carol");

        var shared = AdvisoryRules.Share(published, ["cirt-de", "cirt-fr"], Later, "dave");

        Assert.Equal(["cirt-de", "cirt-fr"], shared.Content.PartnerRecipients);
        Assert.Equal((3L, "dave"), (shared.Version, shared.UpdatedBy));
        Assert.Same(shared, AdvisoryRules.Share(shared, ["cirt-fr"], Later, "dave"));
        Assert.Contains("is a draft", Refused(() => AdvisoryRules.Share(draft, ["cirt-fr"], Later, "dave")).Message);
        var withdrawn = AdvisoryRules.Withdraw(shared, "superseded", Later, "dave");
        Assert.Equal(CirtErrorKind.FailedPrecondition, Refused(() => AdvisoryRules.Share(withdrawn, ["cirt-nl"], Later, "dave")).Kind);
        Assert.Equal("partner_ids", Refused(() => AdvisoryRules.Share(shared, [], Later, "dave")).Field);
        var full = AdvisoryRules.Share(shared, Enumerable.Range(1, 48).Select(i => $"cirt-{i}").ToArray(), Later, "dave");
        Assert.Equal("partner_ids", Refused(() => AdvisoryRules.Share(full, ["cirt-nl"], Later, "dave")).Field);
    }

    [Fact]
    public void AnAdvisoryStoredBeforeSharingReadsBackWithNoPartners()
    {
        var old = AdvisoryRules.Publish(AdvisoryRules.Draft(Id, Content(), Received, "carol"), ["gridco"], 1, Received, "carol");
        old = old with { Content = old.Content with { PartnerRecipients = null! }, PartnerShares = null!, PendingShares = null! };

        var read = old.WithListsPresent();

        Assert.Equal((0, 0, 0), (read.Content.PartnerRecipients.Length, read.PartnerShares.Length, read.PendingShares.Length));
        Assert.Null(read.Origin);
        Assert.Same(read, read.WithListsPresent());
    }

    private static (string? Field, CirtErrorKind Kind) Field(Func<Advisory> change)
    {
        var refused = Refused(change);
        return (refused.Field, refused.Kind);
    }
}
