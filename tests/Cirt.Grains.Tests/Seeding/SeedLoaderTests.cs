using Cirt.Grains.Sectors;
using Cirt.Grains.Seeding;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Seeding;

[Collection(CirtClusterCollection.Name)]
public sealed class SeedLoaderTests(CirtClusterFixture cluster)
{
    private SeedLoader Loader => cluster.SiloService<SeedLoader>();

    [Fact]
    public async Task FirstLoadCreatesEverySectorDemoStakeholderAndPlaybook()
    {
        var sectors = SeedFiles.LoadSectors(Seeds.Directory);
        var stakeholders = SeedFiles.LoadStakeholders(Seeds.Directory);
        var playbooks = SeedFiles.LoadPlaybooks(Seeds.Directory);

        Assert.Equal(sectors.Count + stakeholders.Count + playbooks.Count, cluster.FirstSeedLoadCreated);
        var malware = await cluster.Grains.GetGrain<Cirt.Grains.Playbooks.IPlaybookGrain>("malicious-code").GetAsync();
        Assert.NotNull(malware);
        Assert.Equal(4, malware.Steps.Length);
        Assert.Equal((Cirt.Grains.Playbooks.StepAssignee.Reporter, TimeSpan.FromHours(4)), (malware.Steps[0].Assignee, malware.Steps[0].DueWithin));
        var catalog = await cluster.Grains.GetGrain<ISectorCatalogGrain>(ISectorCatalogGrain.Key).ListAsync();
        Assert.All(sectors, s => Assert.Contains(s.Code, catalog));
        foreach (var (id, profile) in stakeholders)
        {
            var stakeholder = await cluster.Grains.GetGrain<IStakeholderGrain>(id).GetAsync();
            Assert.NotNull(stakeholder);
            Assert.Equal(profile.Country, stakeholder.Country);
        }
    }

    [Fact]
    public async Task SeededSectorHoldsItsDefinitionAndDemoMembers()
    {
        var energy = await cluster.Grains.GetGrain<ISectorGrain>("ENERGY").GetAsync();

        Assert.NotNull(energy);
        Assert.Equal("Energy", energy.Definition.Name);
        Assert.Equal(Nis2Annex.AnnexI, energy.Definition.Annex);
        Assert.Contains("electricity", energy.Definition.Subsectors);
        Assert.Contains("gridco", energy.StakeholderIds);
    }

    [Fact]
    public async Task SecondLoadCreatesNothing()
    {
        Assert.Equal(0, await Loader.LoadAsync(Seeds.Directory));
    }

    [Fact]
    public async Task LoadKeepsAStakeholderEditedAfterSeeding()
    {
        var firstbank = cluster.Grains.GetGrain<IStakeholderGrain>("firstbank");
        var seeded = await firstbank.GetAsync();
        Assert.NotNull(seeded);
        var profile = new StakeholderProfile(
            "First National Bank S.A.", seeded.Type, seeded.SectorCodes, seeded.Country, Nis2EntityClass.Important,
            seeded.Contacts, seeded.Constituency);
        var edited = await firstbank.UpdateAsync(profile, seeded.Version, "coordinator:marie");

        await Loader.LoadAsync(Seeds.Directory);

        var after = await firstbank.GetAsync();
        Assert.NotNull(after);
        Assert.Equal("First National Bank S.A.", after.Name);
        Assert.Equal(Nis2EntityClass.Important, after.Nis2EntityClass);
        Assert.Equal(edited.Version, after.Version);
        Assert.Equal("coordinator:marie", after.UpdatedBy);
    }
}
