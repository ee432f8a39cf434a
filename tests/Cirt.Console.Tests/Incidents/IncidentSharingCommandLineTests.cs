namespace Cirt.Console.Tests.Incidents;

/// <summary>Sharing and linking incidents from the command line: what is refused before any call.</summary>
public sealed class IncidentSharingCommandLineTests
{
    [Fact]
    public async Task IncidentsHelpListsShareAndLink()
    {
        var (_, output) = await OfflineConsole.RunAsync("incidents", "--help");

        Assert.Contains("share", output);
        Assert.Contains("link", output);
    }

    [Fact]
    public async Task ShareNeedsAPartner()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("incidents", "share", "CIRT-2026-000042");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --partner ID: the partner CIRT to share the incident with.", output);
    }

    [Fact]
    public async Task LinkNeedsTheOtherIncident()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("incidents", "link", "CIRT-2026-000042");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("missing required argument 'OTHER-TRACKING-ID'", output);
    }
}
