using Cirt.Grains.Seeding;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Tests.Seeding;

public sealed class SeedFilesTests
{
    private static readonly IReadOnlyList<(string Code, SectorDefinition Definition)> Sectors = SeedFiles.LoadSectors(Seeds.Directory);
    private static readonly IReadOnlyList<(string Id, StakeholderProfile Profile)> Stakeholders = SeedFiles.LoadStakeholders(Seeds.Directory);

    private static string[] CodesIn(Nis2Annex annex) => Sectors.Where(s => s.Definition.Annex == annex).Select(s => s.Code).ToArray();

    [Fact]
    public void AnnexIListsTheSectorsOfHighCriticality()
    {
        Assert.Equal(
            ["ENERGY", "TRANSPORT", "BANKING", "FINANCIAL_MARKET_INFRASTRUCTURE", "HEALTH", "DRINKING_WATER", "WASTE_WATER",
             "DIGITAL_INFRASTRUCTURE", "ICT_SERVICE_MANAGEMENT", "PUBLIC_ADMINISTRATION", "SPACE"],
            CodesIn(Nis2Annex.AnnexI));
    }

    [Fact]
    public void AnnexIIListsTheOtherCriticalSectors()
    {
        Assert.Equal(
            ["POSTAL", "WASTE_MANAGEMENT", "CHEMICALS", "FOOD", "MANUFACTURING", "DIGITAL_PROVIDERS", "RESEARCH"],
            CodesIn(Nis2Annex.AnnexII));
    }

    [Fact]
    public void EverySeededSectorIsInAnAnnexOnce()
    {
        Assert.Equal(CodesIn(Nis2Annex.AnnexI).Length + CodesIn(Nis2Annex.AnnexII).Length, Sectors.Count);
        Assert.Equal(Sectors.Count, Sectors.Select(s => s.Code).Distinct().Count());
        Assert.All(Sectors, s => Assert.False(string.IsNullOrWhiteSpace(s.Definition.Name), s.Code));
    }

    [Fact]
    public void EveryDemoStakeholderBelongsToSectorsThatExist()
    {
        var codes = Sectors.Select(s => s.Code).ToHashSet();

        Assert.All(Stakeholders, s => Assert.All(s.Profile.SectorCodes, code => Assert.Contains(code, codes)));
    }

    [Fact]
    public void DemoStakeholdersHaveValidIdsAndCountries()
    {
        Assert.NotEmpty(Stakeholders);
        Assert.All(Stakeholders, s =>
        {
            Assert.True(StakeholderRules.IsValidId(s.Id), s.Id);
            Assert.True(StakeholderRules.IsValidCountry(s.Profile.Country), s.Id);
        });
        Assert.Equal(Stakeholders.Count, Stakeholders.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void GridcoIsAnEssentialEnergyEntityAndPartnerCertIsOutsideNis2()
    {
        var gridco = Assert.Single(Stakeholders, s => s.Id == "gridco").Profile;
        var partnerCert = Assert.Single(Stakeholders, s => s.Id == "partner-cert-nl").Profile;

        Assert.Equal(Nis2EntityClass.Essential, gridco.Nis2EntityClass);
        Assert.Equal(["ENERGY"], gridco.SectorCodes);
        Assert.Equal(Nis2EntityClass.None, partnerCert.Nis2EntityClass);
        Assert.Equal(StakeholderType.PartnerCirt, partnerCert.Type);
    }

    [Fact]
    public void EveryPlaybookIsForAnRsitClassAndHasStepsWithTitlesAndPositiveDueTimes()
    {
        var taxonomy = SeedFiles.LoadTaxonomy(Seeds.Directory);
        var playbooks = SeedFiles.LoadPlaybooks(Seeds.Directory);

        Assert.NotEmpty(playbooks);
        Assert.Equal(playbooks.Count, playbooks.Select(p => p.RsitClass).Distinct().Count());
        Assert.All(playbooks, p =>
        {
            Assert.True(taxonomy.IsClass(p.RsitClass), $"{p.RsitClass} is not an RSIT class");
            Assert.NotEmpty(p.Steps);
            Assert.All(p.Steps, step =>
            {
                Assert.False(string.IsNullOrWhiteSpace(step.Title));
                Assert.True(step.DueWithin > TimeSpan.Zero);
            });
        });
    }
}
