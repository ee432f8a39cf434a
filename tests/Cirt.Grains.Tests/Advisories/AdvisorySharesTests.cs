using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>What each change to an advisory owes its partner recipients.</summary>
public sealed class AdvisorySharesTests
{
    private static readonly DateTimeOffset Drafted = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Drafted.AddHours(1);

    private static AdvisoryContent Content(string title = "Phishing wave against utilities", params string[] partners) => new(
        title, "Lures imitating the grid regulator.", [], [], [], ["Block the sender domain"], Tlp.Green, ["ENERGY"], [], "")
    {
        PartnerRecipients = partners,
    };

    private static Advisory Draft(params string[] partners) => AdvisoryRules.Draft("ADV-2026-0001", Content("Phishing wave against utilities", partners), Drafted, "carol");

    private static Advisory Published(params string[] partners) => AdvisoryRules.Publish(Draft(partners), ["gridco"], 1, Drafted, "carol");

    private static (string, ShareAction)[] Owed(Advisory? before, Advisory after) =>
        AdvisoryShares.Due(before, after, "dave").Select(p => (p.PartnerId, p.Action)).ToArray();

    [Fact]
    public void ADraftOwesPartnersNothingNotEvenWhenItIsWithdrawn()
    {
        var draft = Draft("cirt-de");

        Assert.Empty(Owed(null, draft));
        Assert.Empty(Owed(draft, AdvisoryRules.Update(draft, Content("Retitled", "cirt-de", "cirt-fr"), [], 1, Later, "dave")));
        Assert.Empty(Owed(draft, AdvisoryRules.Withdraw(draft, "not needed", Later, "dave")));
    }

    [Fact]
    public void PublishingOwesEachPartnerRecipientTheAdvisory()
    {
        var draft = Draft("cirt-de", "cirt-fr");

        Assert.Equal([("cirt-de", ShareAction.Publish), ("cirt-fr", ShareAction.Publish)], Owed(draft, AdvisoryRules.Publish(draft, ["gridco"], 1, Later, "dave")));
        Assert.All(AdvisoryShares.Due(draft, AdvisoryRules.Publish(draft, ["gridco"], 1, Later, "dave"), "dave"), p => Assert.Equal("dave", p.Actor));
    }

    [Fact]
    public void AnUpdatePartnersWouldSeeOwesEachOfThemTheNewVersionAndAPartnerTakenOffARecall()
    {
        var published = Published("cirt-de", "cirt-fr");

        var updated = AdvisoryRules.Update(published, Content("Phishing wave: new lures", "cirt-de", "cirt-nl"), ["gridco"], 2, Later, "dave");

        Assert.Equal([("cirt-de", ShareAction.Publish), ("cirt-nl", ShareAction.Publish), ("cirt-fr", ShareAction.Withdraw)], Owed(published, updated));
    }

    [Fact]
    public void AChangeOfPartnerRecipientsOnlyOwesTheAdvisoryToThoseNewToIt()
    {
        var published = Published("cirt-de");

        var widened = AdvisoryRules.Update(published, Content("Phishing wave against utilities", "cirt-de", "cirt-fr"), ["gridco"], 2, Later, "dave");
        var shared = AdvisoryRules.Share(published, ["cirt-nl"], Later, "dave");

        Assert.Equal([("cirt-fr", ShareAction.Publish)], Owed(published, widened));
        Assert.Equal([("cirt-nl", ShareAction.Publish)], Owed(published, shared));
    }

    [Fact]
    public void WithdrawingOwesEveryPartnerRecipientARecallOnce()
    {
        var published = Published("cirt-de", "cirt-fr");
        var withdrawn = AdvisoryRules.Withdraw(published, "superseded", Later, "dave");

        Assert.Equal([("cirt-de", ShareAction.Withdraw), ("cirt-fr", ShareAction.Withdraw)], Owed(published, withdrawn));
        Assert.Empty(Owed(withdrawn, AdvisoryRules.Withdraw(withdrawn, "again", Later, "dave")));
    }

    [Fact]
    public void AnAcknowledgementOrAReminderOwesPartnersNothing()
    {
        var published = Published("cirt-de");

        Assert.Empty(Owed(published, AdvisoryRules.Acknowledge(published, "gridco", Later, "soc@gridco")));
        Assert.Empty(Owed(published, AdvisoryRules.Chase(published, Later.AddDays(2), TimeSpan.FromHours(24), out _)));
    }

    [Fact]
    public void WhatIsStillOwedIsTheLatestForEachPartner()
    {
        PendingShare[] pending = [new("cirt-de", ShareAction.Publish, "carol"), new("cirt-fr", ShareAction.Publish, "carol")];

        var merged = AdvisoryShares.Merge(pending, [new("cirt-fr", ShareAction.Withdraw, "dave")]);

        PendingShare[] expected = [new("cirt-de", ShareAction.Publish, "carol"), new("cirt-fr", ShareAction.Withdraw, "dave")];
        Assert.Equal(expected, merged);
    }

    [Fact]
    public void OnceTheOutboxTookWhatWasOwedItIsNoLongerOwedAndEachPartnersLatestOutcomeIsKept()
    {
        var owed = new PendingShare("cirt-de", ShareAction.Publish, "carol");
        var stillOwed = new PendingShare("cirt-fr", ShareAction.Publish, "carol");
        var advisory = Published("cirt-de", "cirt-fr") with
        {
            PendingShares = [owed, stillOwed],
            PartnerShares = [new("cirt-de", "m-1", OutboxState.Delivered, 1, ""), new("cirt-nl", "", null, 1, "No agreement")],
        };

        var recorded = AdvisoryShares.Recorded(advisory, [owed], [new("cirt-de", "m-2", OutboxState.Queued, 2, "")]);

        Assert.Equal([stillOwed], recorded.PendingShares);
        Assert.Equal(["cirt-nl/", "cirt-de/m-2"], recorded.PartnerShares.Select(s => $"{s.PartnerId}/{s.MessageId}"));
    }

    [Fact]
    public void SharingAgainOwesTheAdvisoryToNewPartnersAndToThoseWhoseAgreementRefusedItLastTime()
    {
        var published = Published("cirt-de", "cirt-fr") with
        {
            PartnerShares = [new("cirt-de", "m-1", OutboxState.Delivered, 2, ""), new("cirt-fr", "", null, 2, "Its agreement does not cover advisories")],
        };

        var owed = AdvisoryShares.OnShare(published, ["cirt-de", "cirt-fr", "cirt-nl"], "dave");

        Assert.Equal(["cirt-fr", "cirt-nl"], owed.Select(p => p.PartnerId));
        Assert.All(owed, p => Assert.Equal((ShareAction.Publish, "dave"), (p.Action, p.Actor)));
    }
}
