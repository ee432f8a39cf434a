using Cirt.Console.Advisories;
using Cirt.Contracts.V1;

namespace Cirt.Console.Tests.Advisories;

/// <summary>Sharing advisories with partner CIRTs, and changing them, from the command line: what is refused before any call.</summary>
public sealed class AdvisorySharingCommandLineTests
{
    [Fact]
    public async Task AdvisoriesHelpListsShareReceivedAndUpdate()
    {
        var (_, output) = await OfflineConsole.RunAsync("advisories", "--help");

        Assert.Contains("share", output);
        Assert.Contains("received", output);
        Assert.Contains("update", output);
    }

    [Fact]
    public async Task CreateAndUpdateTakePartnerRecipients()
    {
        var (_, create) = await OfflineConsole.RunAsync("advisories", "create", "--help");
        var (_, update) = await OfflineConsole.RunAsync("advisories", "update", "--help");

        Assert.Contains("--partner <ID>", create);
        Assert.Contains("--partner <ID>", update);
    }

    [Fact]
    public async Task ShareNeedsAPartner()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("advisories", "share", "ADV-2026-0001");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --partner ID (repeatable): the partner CIRTs to share the advisory with.", output);
    }

    [Fact]
    public void ShareNamesEachPartnerOnce()
    {
        var request = ShareAdvisoryCommand.Request(new ShareAdvisoryCommand.Settings { Id = "ADV-2026-0001", Partners = ["cirt-de", "cirt-nl", "cirt-de"] });

        Assert.Equal(["cirt-de", "cirt-nl"], request.PartnerIds);
    }

    [Fact]
    public async Task AnUpdateThatChangesNothingIsRefusedBeforeReadingTheAdvisory()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("advisories", "update", "ADV-2026-0001");

        Assert.Equal(2, exitCode);
        Assert.Contains("Nothing to change", output);
    }

    [Fact]
    public async Task AnUpdateWithAMalformedCveIsRefusedBeforeReadingTheAdvisory()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("advisories", "update", "ADV-2026-0001", "--affected-cve", "CVE-2026-1");

        Assert.Equal(2, exitCode);
        Assert.Contains("--affected-cve 'CVE-2026-1' is not CVE:SCORE", output);
    }

    [Fact]
    public void AnUpdateReplacesWhatIsGivenAndKeepsTheRest()
    {
        var current = new AdvisoryContent { Title = "ExampleVPN RCE", Summary = "Patch now", Tlp = Tlp.Amber, IncidentTrackingId = "CIRT-2026-000042" };
        current.TargetSectors.Add("ENERGY");
        current.RecommendedActions.Add("Upgrade to 9.5");
        current.PartnerRecipients.Add("cirt-us");
        current.Indicators.Add(new Observable { Type = ObservableType.Domain, Value = "evil.example" });

        var updated = UpdateAdvisoryCommand.Apply(current, new UpdateAdvisoryCommand.Settings
        {
            Id = "ADV-2026-0001", Tlp = "green", Sectors = ["banking"], Partners = ["cirt-de", "cirt-nl"],
        });

        Assert.Equal(Tlp.Green, updated.Tlp);
        Assert.Equal(["BANKING"], updated.TargetSectors);
        Assert.Equal(["cirt-de", "cirt-nl"], updated.PartnerRecipients);
        Assert.Equal("ExampleVPN RCE", updated.Title);
        Assert.Equal("Patch now", updated.Summary);
        Assert.Equal("CIRT-2026-000042", updated.IncidentTrackingId);
        Assert.Equal(["Upgrade to 9.5"], updated.RecommendedActions);
        Assert.Equal("evil.example", Assert.Single(updated.Indicators).Value);
        Assert.Equal(["cirt-us"], current.PartnerRecipients);
    }
}
