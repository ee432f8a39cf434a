using System.Globalization;
using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// What the advisory grain adds to the sharing rules: each change partners must hear of is stored
/// with a mark of what they are owed, then handed to the outbox once per partner, and what came of it
/// is recorded; the mark outlives a failing outbox and a deactivation. Advisories partners share with
/// us arrive as drafts under one local id per origin item.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class AdvisorySharingGrainTests(CirtClusterFixture cluster)
{
    private static readonly AdvisoryContent Phishing = new(
        "Phishing wave against utilities and banks", "Lures imitating the grid regulator.", [], [], [], ["Block the sender domain"],
        Tlp.Green, [], ["gridco", "firstbank"], "");

    private static readonly Principal Gridco = new("a1b2c3d4e5f60718", "soc", Role.Operator, "gridco", "");

    private IAdvisoryGrain NewAdvisory() =>
        cluster.Grains.GetGrain<IAdvisoryGrain>("ADV-2033-" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture));

    private RecordingShareQueue.ShareCall[] Calls(IAdvisoryGrain grain) => cluster.Outbox.CallsFor(grain.GetPrimaryKeyString());

    private static (ShareAction, long, string)[] Queued(IEnumerable<RecordingShareQueue.ShareCall> calls) =>
        calls.SelectMany(c => c.PartnerIds.Select(p => (c.Action, c.Version, p))).ToArray();

    private async Task<IAdvisoryGrain> PublishedAsync(params string[] partners)
    {
        var grain = NewAdvisory();
        await grain.CreateAsync(Phishing with { PartnerRecipients = partners }, "carol");
        await grain.PublishAsync(["gridco", "firstbank"], 1, "carol");
        return grain;
    }

    /// <summary>A fresh item of cirt-de, received under the local id the catalog gives it.</summary>
    private async Task<(IAdvisoryGrain Grain, ItemOrigin Origin)> ReceivedAsync(Tlp tlp = Tlp.Green)
    {
        var origin = new ItemOrigin("cirt-de", "DE", "ADV-DE-" + Guid.NewGuid().ToString("N"), 1, ["cirt-de"], false, "cirt-de");
        var id = await cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).ReceivedIdAsync(origin.InstanceId, origin.ItemId, 2033);
        var grain = cluster.Grains.GetGrain<IAdvisoryGrain>(id);
        await grain.ReceiveAsync(Phishing with { Tlp = tlp, TargetStakeholders = [], TargetSectors = ["ENERGY"] }, origin, DateTimeOffset.UtcNow);
        return (grain, origin);
    }

    private static async Task<Advisory> StoredAsync(IAdvisoryGrain grain) =>
        await grain.GetAsync() ?? throw new InvalidOperationException("The advisory is gone.");

    [Fact]
    public async Task PublishingQueuesTheAdvisoryOncePerPartnerAndRecordsWhatCameOfIt()
    {
        var grain = NewAdvisory();
        await grain.CreateAsync(Phishing with { PartnerRecipients = ["cirt-de", "cirt-fr"] }, "carol");
        Assert.Empty(Calls(grain));

        var published = await grain.PublishAsync(["gridco", "firstbank"], 1, "carol");

        var call = Assert.Single(Calls(grain));
        Assert.Equal((ShareAction.Publish, 2L, "carol", AdvisoryStatus.Published), (call.Action, call.Version, call.Actor, call.Advisory.Status));
        Assert.Equal(["cirt-de", "cirt-fr"], call.PartnerIds);
        Assert.Empty(published.PendingShares);
        Assert.Equal(
            [RecordingShareQueue.MessageId(published.Id, 2, ShareAction.Publish, "cirt-de"), RecordingShareQueue.MessageId(published.Id, 2, ShareAction.Publish, "cirt-fr")],
            published.PartnerShares.Select(s => s.MessageId));
        Assert.All(published.PartnerShares, s => Assert.Equal((OutboxState.Queued, 2L), (s.State, s.ItemVersion)));
        Assert.Equivalent(published, await StoredAsync(grain), strict: true);
    }

    [Fact]
    public async Task ADraftQueuesNothingWhateverItsPartners()
    {
        var grain = NewAdvisory();
        var draft = await grain.CreateAsync(Phishing with { PartnerRecipients = ["cirt-de"] }, "carol");
        draft = await grain.UpdateAsync(draft.Content with { Title = "Phishing wave", PartnerRecipients = ["cirt-de", "cirt-fr"] }, [], 1, "carol");
        await grain.WithdrawAsync("not needed after all", "carol");

        Assert.Equal(2, draft.Version);
        Assert.Empty(Calls(grain));
        Assert.Empty((await StoredAsync(grain)).PartnerShares);
    }

    [Fact]
    public async Task AnUpdateQueuesTheNewVersionForEachPartnerAndARecallForOneTakenOff()
    {
        var grain = await PublishedAsync("cirt-de", "cirt-fr");

        var updated = await grain.UpdateAsync(Phishing with { Title = "Phishing wave: new lures", PartnerRecipients = ["cirt-de"] }, ["gridco", "firstbank"], 2, "dave");

        Assert.Equal(
            [(ShareAction.Publish, 2L, "cirt-de"), (ShareAction.Publish, 2L, "cirt-fr"), (ShareAction.Publish, 3L, "cirt-de"), (ShareAction.Withdraw, 3L, "cirt-fr")],
            Queued(Calls(grain)));
        Assert.All(Calls(grain).Skip(1), c => Assert.Equal(("dave", "Phishing wave: new lures"), (c.Actor, c.Advisory.Content.Title)));
        Assert.Equal(["Publish/3/cirt-de", "Withdraw/3/cirt-fr"], updated.PartnerShares.OrderBy(s => s.PartnerId).Select(s => $"{s.MessageId.Split('/')[2]}/{s.ItemVersion}/{s.PartnerId}"));
    }

    [Fact]
    public async Task WithdrawingQueuesARecallForEachPartner()
    {
        var grain = await PublishedAsync("cirt-de", "cirt-fr");

        var withdrawn = await grain.WithdrawAsync("Superseded by a new advisory", "dave");
        await grain.WithdrawAsync("again", "dave");

        var recall = Calls(grain)[^1];
        Assert.Equal(2, Calls(grain).Length);
        Assert.Equal((ShareAction.Withdraw, 3L, AdvisoryStatus.Withdrawn, "Superseded by a new advisory"), (recall.Action, recall.Version, recall.Advisory.Status, recall.Advisory.WithdrawReason));
        Assert.Equal(["cirt-de", "cirt-fr"], recall.PartnerIds);
        Assert.All(withdrawn.PartnerShares, s => Assert.Equal(3L, s.ItemVersion));
    }

    [Fact]
    public async Task WhatPartnersAreOwedOutlivesAFailingOutboxAndIsQueuedOnceLater()
    {
        var grain = NewAdvisory();
        await grain.CreateAsync(Phishing with { PartnerRecipients = ["cirt-de", "cirt-fr"] }, "carol");
        cluster.Outbox.FailNextCallFor(grain.GetPrimaryKeyString());

        // The change stands: the coordinator is not told it failed, and what is owed stays marked.
        var published = await grain.PublishAsync(["gridco"], 1, "carol");
        await cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var reloaded = await StoredAsync(grain);
        var ensured = await grain.EnsureSharedAsync();
        var again = await grain.EnsureSharedAsync();

        Assert.Equal(AdvisoryStatus.Published, published.Status);
        Assert.Equal(["cirt-de", "cirt-fr"], published.PendingShares.Select(p => p.PartnerId));
        Assert.Empty(published.PartnerShares);
        Assert.Equal(published.PendingShares, reloaded.PendingShares);
        var calls = Calls(grain);
        Assert.Equal([true, false], calls.Select(c => c.Failed));
        Assert.Equal([(ShareAction.Publish, 2L, "cirt-de"), (ShareAction.Publish, 2L, "cirt-fr")], Queued(calls.Skip(1)));
        Assert.Empty(ensured!.PendingShares);
        Assert.Equal(["cirt-de", "cirt-fr"], ensured.PartnerShares.Select(s => s.PartnerId));
        Assert.Equivalent(ensured, again, strict: true);
        Assert.Equivalent(ensured, await StoredAsync(grain), strict: true);
    }

    [Fact]
    public async Task SharingAPublishedAdvisoryQueuesItForTheNewPartnersOnly()
    {
        var grain = await PublishedAsync("cirt-de");

        var shared = await grain.ShareAsync(["cirt-de", "cirt-nl"], "dave");
        var again = await grain.ShareAsync(["cirt-nl"], "dave");

        Assert.Equal([(ShareAction.Publish, 2L, "cirt-de"), (ShareAction.Publish, 3L, "cirt-nl")], Queued(Calls(grain)));
        Assert.Equal(["cirt-de", "cirt-nl"], shared.Content.PartnerRecipients);
        Assert.Equal(3L, shared.Version);
        Assert.Equivalent(shared, again, strict: true);
        var draft = NewAdvisory();
        await draft.CreateAsync(Phishing, "carol");
        var refused = await Assert.ThrowsAsync<CirtException>(() => draft.ShareAsync(["cirt-de"], "dave"));
        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
    }

    [Fact]
    public async Task AReceivedAdvisoryIsADraftWithItsOriginUnderOneLocalIdThatNoOperatorSees()
    {
        var (grain, origin) = await ReceivedAsync();
        var catalog = cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);

        var draft = await StoredAsync(grain);
        var sameId = await catalog.ReceivedIdAsync(origin.InstanceId, origin.ItemId, 2033);

        Assert.Equal(AdvisoryStatus.Draft, draft.Status);
        Assert.Equivalent(origin, draft.Origin, strict: true);
        Assert.Equal(grain.GetPrimaryKeyString(), sameId);
        Assert.Contains(sameId, await catalog.ListReceivedAsync());
        Assert.Contains(sameId, await catalog.ListAsync());
        Assert.Null(AdvisoryRules.AsSeenBy(Gridco, draft));
        Assert.Empty(Calls(grain));
    }

    [Fact]
    public async Task AnOlderVersionFromTheOriginIsIgnoredAndANewerOneReachesOurRecipients()
    {
        var (grain, origin) = await ReceivedAsync();
        await grain.PublishAsync(["gridco"], 1, "carol");
        var newer = await grain.ReceiveAsync(Phishing with { Title = "Version 3 from cirt-de" }, origin with { ItemVersion = 3 }, DateTimeOffset.UtcNow);

        var older = await grain.ReceiveAsync(Phishing with { Title = "A late version 2" }, origin with { ItemVersion = 2 }, DateTimeOffset.UtcNow);

        Assert.Equivalent(newer, older, strict: true);
        Assert.Equal((3L, 3L), (newer.Version, newer.Origin!.ItemVersion));
        Assert.Equal("Version 3 from cirt-de", AdvisoryRules.AsSeenBy(Gridco, newer)!.Content.Title);
        Assert.Equal(["ENERGY"], newer.Content.TargetSectors);
    }

    [Fact]
    public async Task TheOriginsWithdrawalWithdrawsItHereAndOurRecipientsSeeItWithdrawn()
    {
        var (grain, origin) = await ReceivedAsync();
        await grain.PublishAsync(["gridco"], 1, "carol");

        var withdrawn = await grain.ReceiveWithdrawalAsync(origin with { ItemVersion = 2 }, "Retracted by the vendor", DateTimeOffset.UtcNow);
        var again = await grain.ReceiveWithdrawalAsync(origin with { ItemVersion = 2 }, "Retracted by the vendor", DateTimeOffset.UtcNow);

        Assert.Equal(AdvisoryStatus.Withdrawn, AdvisoryRules.AsSeenBy(Gridco, withdrawn)!.Status);
        Assert.EndsWith("Retracted by the vendor", withdrawn.WithdrawReason);
        Assert.Equivalent(withdrawn, again, strict: true);
    }

    [Fact]
    public async Task AWithdrawalOfAnAdvisoryThatNeverArrivedKeepsALateCopyOut()
    {
        var origin = new ItemOrigin("cirt-de", "DE", "ADV-DE-" + Guid.NewGuid().ToString("N"), 4, ["cirt-de"], false, "cirt-de");
        var catalog = cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);
        var grain = cluster.Grains.GetGrain<IAdvisoryGrain>(await catalog.ReceivedIdAsync(origin.InstanceId, origin.ItemId, 2033));

        var recorded = await grain.ReceiveWithdrawalAsync(origin, "Sent in error", DateTimeOffset.UtcNow);
        var late = await grain.ReceiveAsync(Phishing, origin with { ItemVersion = 3 }, DateTimeOffset.UtcNow);

        Assert.Equal(AdvisoryStatus.Withdrawn, late.Status);
        Assert.Equivalent(recorded, late, strict: true);
    }

    [Fact]
    public async Task OurCoordinatorsCannotRewriteOrWithdrawAReceivedAdvisoryButChooseItsTargets()
    {
        var (grain, _) = await ReceivedAsync();
        var draft = await StoredAsync(grain);

        var rewrite = await Assert.ThrowsAsync<CirtException>(() => grain.UpdateAsync(draft.Content with { Summary = "Our own words" }, [], 1, "carol"));
        var withdraw = await Assert.ThrowsAsync<CirtException>(() => grain.WithdrawAsync("we disagree", "carol"));
        var retargeted = await grain.UpdateAsync(draft.Content with { TargetSectors = [], TargetStakeholders = ["gridco"] }, [], 1, "carol");

        Assert.Equal((CirtErrorKind.FailedPrecondition, "content.summary"), (rewrite.Kind, rewrite.Field));
        Assert.Equal(CirtErrorKind.FailedPrecondition, withdraw.Kind);
        Assert.Contains("only its origin cirt-de may withdraw it", withdraw.Message);
        Assert.Equal(["gridco"], retargeted.Content.TargetStakeholders);
        Assert.Equal(2L, retargeted.Version);
    }

    [Fact]
    public async Task AnAmberStrictReceivedAdvisoryIsNotPublishedToOurConstituency()
    {
        var (grain, _) = await ReceivedAsync(Tlp.AmberStrict);

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.PublishAsync(["gridco"], 1, "carol"));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "content.tlp"), (refused.Kind, refused.Field));
        Assert.Equal(AdvisoryStatus.Draft, (await StoredAsync(grain)).Status);
        Assert.Null(AdvisoryRules.AsSeenBy(Gridco, await StoredAsync(grain)));
    }

    [Fact]
    public async Task AReceivedAdvisoryPassedOnToAnotherPartnerCarriesItsOriginsUpdatesAndWithdrawalOnward()
    {
        var (grain, origin) = await ReceivedAsync();
        await grain.PublishAsync(["gridco"], 1, "carol");
        var shared = await grain.ShareAsync(["cirt-fr"], "carol");
        var backToOrigin = await Assert.ThrowsAsync<CirtException>(() => grain.ShareAsync(["cirt-de"], "carol"));

        await grain.ReceiveAsync(Phishing with { Title = "Version 2 from cirt-de" }, origin with { ItemVersion = 2 }, DateTimeOffset.UtcNow);
        await grain.ReceiveWithdrawalAsync(origin with { ItemVersion = 3 }, "Retracted", DateTimeOffset.UtcNow);

        Assert.Contains("never sent back", backToOrigin.Message);
        Assert.Equal(
            [(ShareAction.Publish, shared.Version, "cirt-fr"), (ShareAction.Publish, shared.Version + 1, "cirt-fr"), (ShareAction.Withdraw, shared.Version + 2, "cirt-fr")],
            Queued(Calls(grain)));
        Assert.Equal("Version 2 from cirt-de", Calls(grain)[1].Advisory.Content.Title);
        Assert.All(Calls(grain), c => Assert.Equal(origin.InstanceId, c.Advisory.Origin!.InstanceId));
    }

    [Fact]
    public async Task AReceivedAdvisorysIdThatCouldNotBeStoredIsNotAllocatedAndTheNextDeliveryGetsOne()
    {
        var catalog = cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);
        var itemId = "ADV-DE-" + Guid.NewGuid().ToString("N");
        var listed = await catalog.ListReceivedAsync();
        var catalogId = catalog.GetGrainId();

        cluster.Storage.FailWritesOf(g => g == catalogId);
        try
        {
            await Assert.ThrowsAsync<ChangeNotStoredException>(() => catalog.ReceivedIdAsync("cirt-de", itemId, 2034));
        }
        finally
        {
            cluster.Storage.Recover();
        }

        var seen = await catalog.ListReceivedAsync();
        var id = await catalog.ReceivedIdAsync("cirt-de", itemId, 2034);
        var again = await catalog.ReceivedIdAsync("cirt-de", itemId, 2034);
        var after = await catalog.ListReceivedAsync();

        Assert.Equal(listed, seen);
        Assert.Equal(id, again);
        Assert.Equal([.. listed, id], after);
    }
}
