using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// Three Cirt servers in a row: France shares with Germany, Germany passes on to the Netherlands. An
/// advisory passed on keeps its origin (France) and its route, is marked as passed on, goes on only
/// at TLP:CLEAR or GREEN and never back along its route, and its origin's update and withdrawal reach
/// the end of the line.
/// </summary>
public sealed class AdvisoryResharingTests : IAsyncLifetime
{
    private readonly ServerFixture _france = Instance("cirt-fr", "FR");
    private readonly ServerFixture _germany = Instance("cirt-de", "DE");
    private readonly ServerFixture _netherlands = Instance("cirt-nl", "NL");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_france.InitializeAsync(), _germany.InitializeAsync(), _netherlands.InitializeAsync());
        await Introductions.OneWayAsync(_france, "cirt-fr", "FR", _germany, "cirt-de", "DE");
        await Introductions.OneWayAsync(_germany, "cirt-de", "DE", _netherlands, "cirt-nl", "NL");
    }

    public async Task DisposeAsync() => await Task.WhenAll(_france.DisposeAsync(), _germany.DisposeAsync(), _netherlands.DisposeAsync());

    [Fact]
    public async Task AGreenAdvisoryPassedOnKeepsItsOriginAndRouteAndItsOriginsChangesReachTheEndOfTheLine()
    {
        var french = await PublishAsync(_france, Tlp.Green, "cirt-de");
        var inGermany = await Introductions.ReceivedAsync(_germany, "cirt-fr", french.Id);
        var germany = _germany.Advisories();
        var published = (await germany.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = inGermany.Id, ExpectedVersion = inGermany.Version })).Advisory;

        var back = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => germany.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = inGermany.Id, PartnerIds = { "cirt-fr" } }).ResponseAsync);
        var shared = (await germany.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = inGermany.Id, PartnerIds = { "cirt-nl" } })).Advisory;
        var inNetherlands = await Introductions.ReceivedAsync(_netherlands, "cirt-fr", french.Id);

        Assert.Contains("never sent back", back.Status.Detail);
        Assert.Equal((published.Version + 1, "cirt-nl"), (shared.Version, shared.PartnerShares.Single().PartnerId));
        Assert.Equal(("cirt-fr", "FR", french.Version, true), (inNetherlands.Origin.InstanceId, inNetherlands.Origin.Country, inNetherlands.Origin.ItemVersion, inNetherlands.Origin.Reshared));
        Assert.Equal(["cirt-fr", "cirt-de"], inNetherlands.Origin.Route);
        Assert.Equal(AdvisoryStatus.Draft, inNetherlands.Status);

        // France's update goes to Germany, which passes it on; so does France's withdrawal.
        var update = Introductions.Vpn(Tlp.Green, "cirt-de");
        update.Title = "ExampleVPN flaw: patch 9.5 is out";
        await _france.Advisories().UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = french.Id, Content = update, ExpectedVersion = french.Version });
        await Introductions.ReceivedAsync(_netherlands, "cirt-fr", french.Id, a => a.Content.Title == "ExampleVPN flaw: patch 9.5 is out");
        await _france.Advisories().WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = french.Id, Reason = "Superseded by the vendor's advisory" });
        await Introductions.ReceivedAsync(_netherlands, "cirt-fr", french.Id, a => a.Status == AdvisoryStatus.Withdrawn);
    }

    [Fact]
    public async Task AnAmberAdvisoryFromAPartnerIsNotPassedOnToAnother()
    {
        var french = await PublishAsync(_france, Tlp.Amber, "cirt-de");
        var inGermany = await Introductions.ReceivedAsync(_germany, "cirt-fr", french.Id);
        var germany = _germany.Advisories();
        await germany.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = inGermany.Id, ExpectedVersion = inGermany.Version });

        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => germany.ShareAdvisoryAsync(new ShareAdvisoryRequest { Id = inGermany.Id, PartnerIds = { "cirt-nl" } }).ResponseAsync);

        Assert.Contains("only TLP:CLEAR and GREEN", refused.Status.Detail);
        Assert.Empty((await _netherlands.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest { ReceivedOnly = true })).Advisories);
    }

    private static ServerFixture Instance(string id, string country) =>
        new() { ExtraArguments = ["--Cirt:Federation:InstanceId", id, "--Cirt:Federation:Country", country] };

    private static async Task<Advisory> PublishAsync(ServerFixture server, Tlp tlp, params string[] partners)
    {
        var draft = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Introductions.Vpn(tlp, partners) })).Advisory;
        return (await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version })).Advisory;
    }
}
