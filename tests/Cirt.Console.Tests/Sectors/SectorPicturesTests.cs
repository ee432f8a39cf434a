using System.Text.Json;
using Cirt.Contracts.V1;

namespace Cirt.Console.Tests.Sectors;

/// <summary>
/// The country at a glance and a sector's breakdown, against a real server: bars and charts at a
/// terminal, plain lines when piped, the response with --output json. One critical incident in
/// ENERGY (triaged) and one waiting for triage are what every view must show.
/// </summary>
public sealed class SectorPicturesTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        var reporting = new ReportingService.ReportingServiceClient(_server.Invoker(_server.CoordinatorKey));
        var incidents = new IncidentService.IncidentServiceClient(_server.Invoker(_server.CoordinatorKey));
        var critical = await reporting.SubmitIncidentAsync(Report("Grid control centre encrypted"));
        await reporting.SubmitIncidentAsync(Report("Phishing at the substation"));
        await incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = critical.TrackingId, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.Critical,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task PipedTheListIsOnePlainLinePerSectorWithItsLevelAndCounts()
    {
        var (exit, output) = await _server.RunAsync(_server.CoordinatorKey, "sectors", "list");

        Assert.Equal(0, exit);
        var energy = Assert.Single(output.Split('\n'), line => line.StartsWith("ENERGY\t", StringComparison.Ordinal));
        Assert.Equal("ENERGY\tEnergy\tAnnex I\talert 4 high\topen 2\t1 critical, 1 unassessed", energy.TrimEnd());
        Assert.Contains("BANKING\tBanking\tAnnex I\talert 1 normal\topen 0\tnone", output);
        Assert.DoesNotContain("█", output);
        Assert.DoesNotContain("│", output);
    }

    [Fact]
    public async Task AtATerminalEachSectorHasItsAlertLevelAndABarBySeverity()
    {
        var screen = new CapturedConsole(terminal: true);
        var exit = await CirtConsole.RunAsync(["sectors", "list", "--server", _server.Url, "--key", _server.CoordinatorKey], screen.Console);

        Assert.Equal(0, exit);
        var energy = screen.Text.Split('\n').First(line => line.Contains("ENERGY", StringComparison.Ordinal));
        Assert.Contains("4 high", energy);
        // The busiest sector's bar is full length: half critical, half unassessed.
        Assert.Contains(new string('█', 24), energy);
        Assert.Contains("1 critical, 1 unassessed", screen.Text);
        Assert.Contains("█ critical", screen.Text); // the legend
    }

    [Fact]
    public async Task WithJsonTheListCarriesEachSectorsGlance()
    {
        var (exit, output) = await _server.RunAsync(_server.CoordinatorKey, "sectors", "list", "--output", "json");

        Assert.Equal(0, exit);
        var glance = JsonDocument.Parse(output).RootElement.GetProperty("glances").EnumerateArray()
            .Single(g => g.GetProperty("code").GetString() == "ENERGY");
        Assert.Equal(4, glance.GetProperty("alertLevel").GetInt32());
        var counts = glance.GetProperty("openBySeverity").EnumerateArray()
            .ToDictionary(c => c.GetProperty("severity").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(1, counts["SEVERITY_CRITICAL"]);
        Assert.Equal(1, counts["SEVERITY_UNSPECIFIED"]);
        Assert.Equal(0, counts["SEVERITY_HIGH"]);
    }

    [Fact]
    public async Task ASectorsBreakdownIsChartsAtATerminalAndPlainLinesPiped()
    {
        var screen = new CapturedConsole(terminal: true);
        var exit = await CirtConsole.RunAsync(["sectors", "show", "energy", "--server", _server.Url, "--key", _server.CoordinatorKey], screen.Console);
        var (pipedExit, piped) = await _server.RunAsync(_server.CoordinatorKey, "sectors", "show", "ENERGY");

        Assert.Equal(0, exit);
        Assert.Contains("Open incidents by severity", screen.Text);
        Assert.Contains("critical 1", screen.Text);
        Assert.Contains("unassessed 1", screen.Text);
        Assert.Contains("Open incidents by status", screen.Text);
        Assert.Matches(@"reported\s+█+ 1", screen.Text);
        Assert.Equal(0, pipedExit);
        Assert.Contains("alert level: 4 high", piped);
        Assert.Contains("open by severity: 1 critical, 1 unassessed", piped);
        Assert.Contains("open by status: 1 reported, 1 triaged", piped);
        Assert.Matches(@"open\tCIRT-\d{4}-\d{6}\tcritical\ttriaged\tGrid control centre encrypted", piped);
        Assert.DoesNotContain("█", piped);
    }

    private static SubmitIncidentRequest Report(string title) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        ReporterStakeholderId = "gridco",
        Title = title,
        Description = "Seen at the control centre",
    };
}
