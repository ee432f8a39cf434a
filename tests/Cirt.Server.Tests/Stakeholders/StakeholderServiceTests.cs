using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Stakeholders;

[Collection(ServerCollection.Name)]
public sealed class StakeholderServiceTests(ServerFixture server)
{
    [Fact]
    public async Task TheSeededSectorsAndDemoStakeholdersAreThere()
    {
        var sectors = await server.Sectors().ListSectorsAsync(new ListSectorsRequest());
        Assert.Equal(18, sectors.Sectors.Count(s => s.Annex is Nis2Annex.I or Nis2Annex.Ii));
        Assert.Contains(sectors.Sectors, s => s.Code == "ENERGY" && s.Annex == Nis2Annex.I && s.StakeholderIds.Contains("gridco"));

        var gridco = (await server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = "gridco" })).Stakeholder;
        Assert.Equal(Nis2EntityClass.Essential, gridco.Nis2EntityClass);
        Assert.Contains("198.51.100.0/25", gridco.Constituency.IpPrefixes);
    }

    [Fact]
    public async Task ACreatedStakeholderCanBeReadListedAndFoundInItsSector()
    {
        var stakeholder = TestStakeholders.NewStakeholder("HEALTH");

        var created = (await server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder })).Stakeholder;

        Assert.Equal(1, created.Version);
        Assert.Equal(["utility.example"], created.Constituency.Domains);
        var read = (await server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = stakeholder.Id })).Stakeholder;
        Assert.Equal("Test Utility", read.Name);
        var listed = await server.Stakeholders().ListStakeholdersAsync(new ListStakeholdersRequest { SectorCode = "HEALTH", PageSize = 500 });
        Assert.Contains(listed.Stakeholders, s => s.Id == stakeholder.Id);
        var sector = (await server.Sectors().GetSectorAsync(new GetSectorRequest { Code = "HEALTH" })).Sector;
        Assert.Contains(stakeholder.Id, sector.StakeholderIds);
    }

    [Fact]
    public async Task CreatingAnExistingStakeholderIsRefused()
    {
        var stakeholder = TestStakeholders.NewStakeholder("HEALTH");
        await server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });

        await RpcAssert.FailsWith(StatusCode.AlreadyExists,
            () => server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder }).ResponseAsync);
    }

    [Fact]
    public async Task BadProfilesNameEveryOffendingField()
    {
        var stakeholder = TestStakeholders.NewStakeholder("HEALTH");
        stakeholder.Id = "Bad Id";
        stakeholder.Country = "Luxembourg";
        stakeholder.Constituency.IpPrefixes.Add("192.0.2.1/24");
        stakeholder.Contacts.Add(new Contact { Name = "", Email = "not-an-email" });

        var fields = await RpcAssert.InvalidFields(
            () => server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder }).ResponseAsync);

        Assert.Equal(
            ["stakeholder.constituency.ip_prefixes[1]", "stakeholder.contacts[1].email", "stakeholder.contacts[1].name", "stakeholder.country", "stakeholder.id"],
            fields.Order());
    }

    [Fact]
    public async Task AStakeholderInAnUnknownSectorIsNotFound()
    {
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Stakeholders().CreateStakeholderAsync(
            new CreateStakeholderRequest { Stakeholder = TestStakeholders.NewStakeholder("NO_SUCH_SECTOR") }).ResponseAsync);
    }

    [Fact]
    public async Task AnUpdateFromAStaleVersionIsAbortedAndTheSectorMembershipFollowsUpdates()
    {
        var stakeholder = TestStakeholders.NewStakeholder("HEALTH");
        await server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
        stakeholder.SectorCodes.Clear();
        stakeholder.SectorCodes.Add("BANKING");

        var updated = (await server.Stakeholders().UpdateStakeholderAsync(new UpdateStakeholderRequest { Stakeholder = stakeholder, ExpectedVersion = 1 })).Stakeholder;
        await RpcAssert.FailsWith(StatusCode.Aborted, () => server.Stakeholders().UpdateStakeholderAsync(
            new UpdateStakeholderRequest { Stakeholder = stakeholder, ExpectedVersion = 1 }).ResponseAsync);

        Assert.Equal(2, updated.Version);
        Assert.DoesNotContain(stakeholder.Id, (await server.Sectors().GetSectorAsync(new GetSectorRequest { Code = "HEALTH" })).Sector.StakeholderIds);
        Assert.Contains(stakeholder.Id, (await server.Sectors().GetSectorAsync(new GetSectorRequest { Code = "BANKING" })).Sector.StakeholderIds);
    }

    [Fact]
    public async Task TheSectorViewCountsItsOpenIncidents()
    {
        var code = "TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await server.Sectors().CreateSectorAsync(new CreateSectorRequest { Sector = new Sector { Code = code, Name = "Test sector" } });
        var stakeholder = await TestStakeholders.CreateAsync(server, code);
        var open = await server.Reporting(server.AnalystKey).SubmitIncidentAsync(Reports.Valid(stakeholder));
        var rejected = await server.Reporting(server.AnalystKey).SubmitIncidentAsync(Reports.Valid(stakeholder));
        await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = rejected.TrackingId,
            Outcome = TriageOutcome.Reject,
            Reason = "false positive",
        });

        var view = await server.Sectors().GetSectorAsync(new GetSectorRequest { Code = code });

        Assert.Equal(1, view.Sector.OpenIncidentCount);
        Assert.Equal([open.TrackingId], view.OpenIncidents.Select(i => i.TrackingId));
    }
}
