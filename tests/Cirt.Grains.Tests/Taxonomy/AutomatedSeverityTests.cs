using Cirt.Grains.Incidents;
using Cirt.Grains.Seeding;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Tests.Taxonomy;

public sealed class AutomatedSeverityTests
{
    private static readonly RsitTaxonomy Taxonomy = SeedFiles.LoadTaxonomy(Seeds.Directory);

    [Fact]
    public void TheTableNamesASeverityForEveryRsitTypeOfTheTaxonomy()
    {
        var pairs = Taxonomy.Classes.SelectMany(c => c.Types.Select(t => (c.Name, Type: t))).ToArray();

        Assert.Equal(39, pairs.Length);
        Assert.All(pairs, p => Assert.True(AutomatedSeverity.Covers(p.Name, p.Type), $"{p.Name}/{p.Type} is not in the table"));
        Assert.All(pairs, p => Assert.NotEqual(Severity.Unspecified, AutomatedSeverity.Of(p.Name, p.Type)));
    }

    [Theory]
    [InlineData("malicious-code", "c2-server", Severity.High)]
    [InlineData("malicious-code", "infected-system", Severity.Medium)]
    [InlineData("availability", "ddos", Severity.High)]
    [InlineData("information-gathering", "scanner", Severity.Low)]
    [InlineData("abusive-content", "spam", Severity.Low)]
    [InlineData("fraud", "phishing", Severity.Medium)]
    [InlineData("intrusions", "system-compromise", Severity.Critical)]
    [InlineData("information-content-security", "data-leak", Severity.High)]
    [InlineData("test", "test", Severity.Low)]
    public void TheTableRanksTypesAsACirtWould(string rsitClass, string rsitType, Severity expected)
    {
        Assert.Equal(expected, AutomatedSeverity.Of(rsitClass, rsitType));
    }

    [Fact]
    public void ATypeTheTableDoesNotKnowIsWorthALook()
    {
        Assert.False(AutomatedSeverity.Covers("malicious-code", "ransomware"));
        Assert.Equal(Severity.Medium, AutomatedSeverity.Of("malicious-code", "ransomware"));
    }

    [Fact]
    public void ASeverityTheEventOrItsFeedNamesCountsOverTheTable()
    {
        Assert.Equal(Severity.Critical, AutomatedSeverity.Of("information-gathering", "scanner", Severity.Critical));
        Assert.Equal(Severity.Low, AutomatedSeverity.Of("malicious-code", "c2-server", Severity.Low));
        Assert.Equal(Severity.High, AutomatedSeverity.Of("malicious-code", "c2-server", Severity.Unspecified));
    }

    [Fact]
    public void TheMostSevereWins()
    {
        Assert.Equal(Severity.High, AutomatedSeverity.MostSevere(Severity.Low, Severity.High));
        Assert.Equal(Severity.High, AutomatedSeverity.MostSevere(Severity.High, Severity.Unspecified));
    }
}
