using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// Two Cirt servers, France (cirt-fr) and Germany (cirt-de), introduced to each other through the
/// public API only, as two coordinators would: Germany registers France and issues it a partner key,
/// France registers Germany with that key; both agreements go up to TLP:AMBER. Advisories travel from
/// France to Germany; what Germany's coordinators and operators may do with them is Germany's to decide, within
/// what only the origin may do.
/// </summary>
public sealed class AdvisorySharingTests : IAsyncLifetime
{
    private readonly ServerFixture _france = new() { ExtraArguments = ["--Cirt:Federation:InstanceId", "cirt-fr", "--Cirt:Federation:Country", "FR"] };
    private readonly ServerFixture _germany = new() { ExtraArguments = ["--Cirt:Federation:InstanceId", "cirt-de", "--Cirt:Federation:Country", "DE"] };

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_france.InitializeAsync(), _germany.InitializeAsync());
        await Introductions.OneWayAsync(_france, "cirt-fr", "FR", _germany, "cirt-de", "DE");
    }

    public async Task DisposeAsync() => await Task.WhenAll(_france.DisposeAsync(), _germany.DisposeAsync());

    [Fact]
    public async Task AGreenAdvisoryArrivesAsADraftThePartnersCoordinatorsPublishAndItsUpdateAndWithdrawalFollow()
    {
        var france = _france.Advisories();
        var draft = (await france.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Vpn(Tlp.Green, "cirt-de") })).Advisory;
        var published = (await france.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version })).Advisory;
        Assert.Equal(["cirt-de"], published.PartnerShares.Select(s => s.PartnerId));
        await Eventually.ReadAsync(async () => await GetAsync(_france, draft.Id), a => a.PartnerShares.Single().State == OutboxState.Delivered,
            $"{draft.Id} was not delivered to cirt-de within 30 s");

        // Germany holds it as a draft with its origin: its staff see it, its operators do not.
        var received = await ReceivedAsync(draft.Id);
        Assert.Equal((AdvisoryStatus.Draft, "cirt-fr", "FR", published.Version), (received.Status, received.Origin.InstanceId, received.Origin.Country, received.Origin.ItemVersion));
        Assert.Equal(["cirt-fr"], received.Origin.Route);
        Assert.Equal(["ENERGY"], received.Content.TargetSectors);
        Assert.Empty(received.Content.TargetStakeholders);
        var gridco = _germany.Advisories(_germany.GridcoKey);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = received.Id }).ResponseAsync);
        Assert.DoesNotContain((await gridco.ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories, a => a.Id == received.Id);

        // Only the origin changes its content or withdraws it; it never goes back along its route.
        var germany = _germany.Advisories();
        var retitled = received.Content.Clone();
        retitled.Title = "Our own title";
        var rewrite = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => germany.UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = received.Id, Content = retitled, ExpectedVersion = received.Version }).ResponseAsync);
        Assert.Contains("only its origin changes its content", rewrite.Status.Detail);
        var withdraw = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => germany.WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = received.Id, Reason = "we disagree" }).ResponseAsync);
        Assert.Contains("only its origin cirt-fr may withdraw it", withdraw.Status.Detail);

        // Germany's coordinators publish it to their energy sector: gridco sees it, shared by a partner CIRT in France.
        var local = (await germany.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = received.Id, ExpectedVersion = received.Version })).Advisory;
        Assert.Contains("gridco", local.Recipients.Select(r => r.StakeholderId));
        var back = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => germany.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = received.Id, PartnerIds = { "cirt-fr" } }).ResponseAsync);
        Assert.Contains("never sent back", back.Status.Detail);
        var seen = (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = received.Id })).Advisory;
        Assert.Equal(("FR", "", ""), (seen.Origin.Country, seen.Origin.InstanceId, seen.Origin.ItemId));
        Assert.Empty(seen.Origin.Route);
        Assert.Equal("a partner CIRT (FR)", seen.CreatedBy);
        Assert.Empty(seen.PartnerShares);

        // France's update replaces what gridco reads; France's withdrawal recalls it.
        var update = Vpn(Tlp.Green, "cirt-de");
        update.Title = "ExampleVPN flaw: patch 9.5 is out";
        await france.UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = draft.Id, Content = update, ExpectedVersion = published.Version });
        await Eventually.ReadAsync(async () => (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = received.Id })).Advisory,
            a => a.Content.Title == "ExampleVPN flaw: patch 9.5 is out", "France's update did not reach gridco within 30 s");
        await france.WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = draft.Id, Reason = "Superseded by the vendor's advisory" });
        var recalled = await Eventually.ReadAsync(async () => (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = received.Id })).Advisory,
            a => a.Status == AdvisoryStatus.Withdrawn, "France's withdrawal did not reach gridco within 30 s");
        Assert.Contains("Superseded by the vendor's advisory", recalled.WithdrawReason);
        Assert.Contains("(FR)", recalled.WithdrawReason);
        Assert.DoesNotContain("cirt-fr", recalled.WithdrawReason);
    }

    [Fact]
    public async Task AnAmberStrictAdvisoryFromAPartnerStaysWithItsCirt()
    {
        var france = _france.Advisories();
        var draft = (await france.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Vpn(Tlp.AmberStrict, "cirt-de") })).Advisory;
        await france.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version });

        var received = await ReceivedAsync(draft.Id);
        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => _germany.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = received.Id, ExpectedVersion = received.Version }).ResponseAsync);

        Assert.Equal(Tlp.AmberStrict, received.Content.Tlp);
        Assert.Contains("not for its constituency", refused.Status.Detail);
    }

    [Fact]
    public async Task PartnerRecipientsAreCheckedAndShareAdvisoryAddsRegisteredPartnersToAPublishedAdvisory()
    {
        var france = _france.Advisories();
        var fields = await RpcAssert.InvalidFields(() => france.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Vpn(Tlp.Green, "CIRT DE") }).ResponseAsync);
        Assert.Equal(["content.partner_recipients[0]"], fields);
        var tooMany = Vpn(Tlp.Green, [.. Enumerable.Range(1, 51).Select(i => $"cirt-{i}")]);
        Assert.Equal(["content.partner_recipients"], await RpcAssert.InvalidFields(() => france.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = tooMany }).ResponseAsync));
        var unknown = await RpcAssert.FailsWith(StatusCode.NotFound, () => france.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Vpn(Tlp.Green, "cirt-xx") }).ResponseAsync);
        Assert.Contains("Partner 'cirt-xx'", unknown.Status.Detail);

        var draft = (await france.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Vpn(Tlp.Green) })).Advisory;
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => france.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = draft.Id, PartnerIds = { "cirt-de" } }).ResponseAsync);
        var published = (await france.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version })).Advisory;
        Assert.Empty(published.PartnerShares);
        Assert.Equal(["partner_ids"], await RpcAssert.InvalidFields(() => france.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = draft.Id }).ResponseAsync));
        var missing = await RpcAssert.FailsWith(StatusCode.NotFound,
            () => france.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = draft.Id, PartnerIds = { "cirt-xx" } }).ResponseAsync);
        Assert.Contains("Partner 'cirt-xx'", missing.Status.Detail);

        var shared = (await france.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = draft.Id, PartnerIds = { "cirt-de" } })).Advisory;

        Assert.Equal(["cirt-de"], shared.Content.PartnerRecipients);
        Assert.Equal((published.Version + 1, "cirt-de"), (shared.Version, shared.PartnerShares.Single().PartnerId));
        Assert.Contains(shared.PartnerShares.Single().State, new[] { OutboxState.Queued, OutboxState.Delivered });
        Assert.Equal(AdvisoryStatus.Draft, (await ReceivedAsync(draft.Id)).Status);
        // France's own operators see none of it.
        var seenByGridco = (await _france.Advisories(_france.GridcoKey).GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.Empty(seenByGridco.Content.PartnerRecipients);
        Assert.Empty(seenByGridco.PartnerShares);
        Assert.Null(seenByGridco.Origin);
    }

    private static async Task<Advisory> GetAsync(ServerFixture server, string id) =>
        (await server.Advisories().GetAdvisoryAsync(new GetAdvisoryRequest { Id = id })).Advisory;

    private Task<Advisory> ReceivedAsync(string frenchId) => Introductions.ReceivedAsync(_germany, "cirt-fr", frenchId);

    private static AdvisoryContent Vpn(Tlp tlp, params string[] partners) => Introductions.Vpn(tlp, partners);
}
