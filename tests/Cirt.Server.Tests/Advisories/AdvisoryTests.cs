using Cirt.Contracts.V1;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Advisories;

/// <summary>Advisories from draft to acknowledgement, on a server whose clock the test moves (chasing after 24 h).</summary>
public sealed class AdvisoryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
    private readonly ServerFixture _server;

    public AdvisoryTests()
    {
        _server = new ServerFixture { Clock = _clock, ExtraArguments = ["--Cirt:Deadlines:CheckPeriod", "00:00:01"] };
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task APublishedAdvisoryReachesItsTargetsWhoAcknowledgeItAndTheSilentOnesAreChased()
    {
        var coordinator = _server.Advisories();
        var draft = (await coordinator.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = VpnAdvisory(Tlp.Amber) })).Advisory;
        Assert.Matches(@"^ADV-2026-\d{4}$", draft.Id);
        Assert.Equal(AdvisoryStatus.Draft, draft.Status);
        Assert.Equal(Severity.Critical, draft.Content.Cves.Single().Severity);
        Assert.Empty((await _server.Advisories(_server.GridcoKey).ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories);

        var published = (await coordinator.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version })).Advisory;
        Assert.Equal(AdvisoryStatus.Published, published.Status);
        var recipients = published.Recipients.Select(r => r.StakeholderId).ToArray();
        Assert.Contains("gridco", recipients);     // member of ENERGY
        Assert.Contains("firstbank", recipients);  // named
        Assert.DoesNotContain("aquaworks", recipients);

        // GridCo reads it (seeing only its own delivery) and acknowledges; AquaWorks cannot see it.
        var gridco = _server.Advisories(_server.GridcoKey);
        var seen = (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.Equal(["gridco"], seen.Recipients.Select(r => r.StakeholderId));
        Assert.Empty(seen.Content.TargetStakeholders);
        var acknowledged = (await gridco.AcknowledgeAdvisoryAsync(new AcknowledgeAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.NotNull(acknowledged.Recipients.Single().AcknowledgedAt);
        Assert.Equal("gridco-soc@gridco", acknowledged.Recipients.Single().AcknowledgedBy);
        var aquaworks = _server.Advisories(await _server.IssueKeyAsync("aqua-soc", Role.Operator, "aquaworks"));
        await RpcAssert.FailsWith(StatusCode.NotFound, () => aquaworks.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => aquaworks.AcknowledgeAdvisoryAsync(new AcknowledgeAdvisoryRequest { Id = draft.Id }).ResponseAsync);
        Assert.Empty((await aquaworks.ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories);

        // A day later the others have not acknowledged: they are re-notified and shown overdue.
        _clock.Advance(TimeSpan.FromHours(25));
        var chased = await ChasedAsync(draft.Id, "firstbank");
        Assert.True(chased.OverdueCount >= 1);
        Assert.False(chased.Recipients.Single(r => r.StakeholderId == "gridco").Overdue);
        Assert.True(chased.Recipients.Single(r => r.StakeholderId == "firstbank").Overdue);
        Assert.Contains((await coordinator.ListAdvisoriesAsync(new ListAdvisoriesRequest { UnacknowledgedOnly = true })).Advisories, a => a.Id == draft.Id);
        Assert.DoesNotContain((await gridco.ListAdvisoriesAsync(new ListAdvisoriesRequest { UnacknowledgedOnly = true })).Advisories, a => a.Id == draft.Id);

        var withdrawn = (await coordinator.WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = draft.Id, Reason = "Superseded by ADV-2026-0002" })).Advisory;
        Assert.Equal(AdvisoryStatus.Withdrawn, withdrawn.Status);
        Assert.Equal(0, withdrawn.OverdueCount);
    }

    [Fact]
    public async Task RedAdvisoriesAreNotDeliveredToOrganisationsAndBadContentIsRefusedFieldByField()
    {
        var red = (await _server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = VpnAdvisory(Tlp.Red) })).Advisory;
        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => _server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = red.Id }).ResponseAsync);
        Assert.Contains("TLP:RED", refused.Status.Detail);

        var bad = VpnAdvisory(Tlp.Unspecified);
        bad.Title = "";
        bad.Cves.Add(new AffectedCve { CveId = "CVE-26-1", CvssScore = 11 });
        var fields = await RpcAssert.InvalidFields(() => _server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = bad }).ResponseAsync);
        Assert.Equal(["content.cves[1].cve_id", "content.cves[1].cvss_score", "content.title", "content.tlp"], fields.Order());

        var noTargets = VpnAdvisory(Tlp.Green);
        noTargets.TargetSectors.Clear();
        noTargets.TargetStakeholders.Clear();
        var lonely = (await _server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = noTargets })).Advisory;
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => _server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = lonely.Id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => _server.Advisories().GetAdvisoryAsync(new GetAdvisoryRequest { Id = "nonsense" }).ResponseAsync);
    }

    private static AdvisoryContent VpnAdvisory(Tlp tlp) => new()
    {
        Title = "Actively exploited VPN appliance vulnerability",
        Summary = "Unauthenticated remote code execution in ExampleVPN 9.x; exploitation seen against grid operators.",
        AffectedProducts = { "ExampleVPN 9.0-9.4" },
        Cves = { new AffectedCve { CveId = "CVE-2026-12345", CvssScore = 9.8 } },
        Indicators = { new Observable { Type = ObservableType.IpAddress, Value = "203.0.113.66", Comment = "exploitation source" } },
        RecommendedActions = { "Upgrade to 9.5", "Hunt for web shells under /var/vpn/www" },
        Tlp = tlp,
        TargetSectors = { "ENERGY" },
        TargetStakeholders = { "firstbank" },
    };

    /// <summary>Waits (in real time: the chase runs every second) until the stakeholder has been re-notified.</summary>
    private Task<Advisory> ChasedAsync(string id, string stakeholder) =>
        Eventually.ReadAsync(
            async () => (await _server.Advisories().GetAdvisoryAsync(new GetAdvisoryRequest { Id = id })).Advisory,
            advisory => advisory.Recipients.Single(r => r.StakeholderId == stakeholder).Reminders >= 1,
            $"{stakeholder} was not re-notified about {id} within 30 s");
}
