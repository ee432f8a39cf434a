using Cirt.Grains.Seeding;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Tests.Taxonomy;

public sealed class RsitTaxonomyTests
{
    private static readonly RsitTaxonomy Taxonomy = SeedFiles.LoadTaxonomy(Seeds.Directory);

    /// <summary>The ENISA Reference Security Incident Taxonomy, class by class.</summary>
    public static TheoryData<string, string[]> Rsit() => new()
    {
        { "abusive-content", ["spam", "harmful-speech", "violence"] },
        { "malicious-code", ["infected-system", "c2-server", "malware-distribution", "malware-configuration"] },
        { "information-gathering", ["scanner", "sniffing", "social-engineering"] },
        { "intrusion-attempts", ["ids-alert", "brute-force", "exploit"] },
        { "intrusions", ["privileged-account-compromise", "unprivileged-account-compromise", "application-compromise", "system-compromise", "burglary"] },
        { "availability", ["dos", "ddos", "misconfiguration", "sabotage", "outage"] },
        { "information-content-security", ["unauthorised-information-access", "unauthorised-information-modification", "data-loss", "data-leak"] },
        { "fraud", ["unauthorised-use-of-resources", "copyright", "masquerade", "phishing"] },
        { "vulnerable", ["weak-crypto", "ddos-amplifier", "potentially-unwanted-accessible", "information-disclosure", "vulnerable-system"] },
        { "other", ["other", "undetermined"] },
        { "test", ["test"] },
    };

    [Fact]
    public void TaxonomyHasExactlyTheElevenRsitClasses()
    {
        Assert.Equal(
            ["abusive-content", "malicious-code", "information-gathering", "intrusion-attempts", "intrusions", "availability",
             "information-content-security", "fraud", "vulnerable", "other", "test"],
            Taxonomy.Classes.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Rsit))]
    public void ClassHoldsExactlyItsRsitTypes(string rsitClass, string[] types)
    {
        Assert.Equal(types, Assert.Single(Taxonomy.Classes, c => c.Name == rsitClass).Types);
        Assert.All(types, type => Assert.Null(Taxonomy.Refuse(rsitClass, type)));
    }

    [Fact]
    public void EveryClassHasADescription()
    {
        Assert.All(Taxonomy.Classes, c => Assert.False(string.IsNullOrWhiteSpace(c.Description), c.Name));
    }

    [Fact]
    public void UnknownClassIsRefusedNamingRsitClass()
    {
        var refusal = Taxonomy.Refuse("ransomware", "infected-system");

        Assert.NotNull(refusal);
        Assert.Equal("rsit_class", refusal.Value.Field);
        Assert.StartsWith("'ransomware' is not an RSIT class; classes: abusive-content, malicious-code,", refusal.Value.Message, StringComparison.Ordinal);
        Assert.False(Taxonomy.IsClass("ransomware"));
    }

    [Fact]
    public void TypeOfAnotherClassIsRefusedNamingRsitType()
    {
        var refusal = Taxonomy.Refuse("malicious-code", "phishing");

        Assert.NotNull(refusal);
        Assert.Equal("rsit_type", refusal.Value.Field);
        Assert.Equal(
            "'phishing' is not a type of RSIT class 'malicious-code'; types: infected-system, c2-server, malware-distribution, malware-configuration.",
            refusal.Value.Message);
        Assert.False(Taxonomy.IsType("malicious-code", "phishing"));
        Assert.True(Taxonomy.IsType("fraud", "phishing"));
    }

    [Fact]
    public void NamesAreMatchedExactly()
    {
        Assert.Equal("rsit_class", Taxonomy.Refuse("Malicious-Code", "infected-system")?.Field);
        Assert.Equal("rsit_type", Taxonomy.Refuse("malicious-code", "Infected-System")?.Field);
    }
}
