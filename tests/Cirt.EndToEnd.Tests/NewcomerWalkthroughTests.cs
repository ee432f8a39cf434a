using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// The product as a newcomer meets it: the built server on the embedded profile in an empty
/// folder, driven by the cirt console, killed with kill -9 and started again.
/// </summary>
public sealed partial class NewcomerWalkthroughTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cirt-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly ServerProcess _server;
    private readonly CirtCli _operator;
    private readonly CirtCli _analyst;

    public NewcomerWalkthroughTests()
    {
        _server = new ServerProcess(_dataDirectory);
        _operator = new CirtCli(_server.Url, "gridco-soc");
        _analyst = new CirtCli(_server.Url, "alice");
    }

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void AnIncidentIsReportedTriagedWorkedAndClosedAndSurvivesKillDashNine()
    {
        _server.Start();
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "cirt.db")), "the embedded profile keeps its data in cirt.db under Cirt:DataDirectory");

        var sectors = _analyst.Run("sectors", "list").Succeeded();
        Assert.Contains("DRINKING_WATER", sectors.Output);
        Assert.Contains("18 sector(s).", sectors.Output);

        var report = _operator.Run("report", "--reporter", "gridco", "--title", "Ransomware on SCADA HMI",
            "--description", "Two HMI workstations encrypted", "--significant", "--ip", "203.0.113.7").Succeeded();
        var trackingId = TrackingId().Match(report.Output).Value;
        Assert.NotEmpty(trackingId);
        Assert.Contains("incident notification (72 h)", report.Output);

        Assert.Contains(trackingId, _analyst.Run("incidents", "list", "--status", "reported").Succeeded().Output);
        _analyst.Run("incidents", "triage", trackingId, "--class", "malicious-code", "--type", "infected-system",
            "--severity", "critical", "--assignee", "alice").Succeeded();
        _analyst.Run("incidents", "move", trackingId, "responding").Succeeded();
        _analyst.Run("incidents", "note", trackingId, "Grid operator switched to manual control").Succeeded();
        _analyst.Run("incidents", "observe", trackingId, "--domain", "c2.evil.example", "--hash", new string('a', 64)).Succeeded();

        _server.Kill();
        _server.Start();
        Assert.Contains("0 entries created", _server.Output);

        var shown = _analyst.Run("incidents", "show", trackingId).Succeeded().Output;
        Assert.Contains("responding", shown);
        Assert.Contains("malicious-code/infected-system", shown);
        Assert.Contains("Grid operator switched to manual control", shown);
        Assert.Contains("c2.evil.example", shown);
        Assert.Contains("gridco-soc", shown);
        Assert.Contains("alice", shown);
        Assert.Contains(trackingId, _analyst.Run("incidents", "list", "--status", "responding", "--sector", "ENERGY").Succeeded().Output);

        var illegal = _analyst.Run("incidents", "move", trackingId, "closed");
        Assert.Equal(1, illegal.ExitCode);
        Assert.Contains("Legal transitions from Responding: Recovering, Resolved", illegal.Output);

        foreach (var status in new[] { "recovering", "resolved", "closed" })
        {
            _analyst.Run("incidents", "move", trackingId, status).Succeeded();
        }

        var closed = _analyst.Run("incidents", "show", trackingId).Succeeded().Output;
        Assert.Contains("closed", closed);
        Assert.Contains("Timeline (8)", closed);
    }

    [Fact]
    public void BadInputGetsAClearMessageAndANonZeroExit()
    {
        _server.Start();

        var missing = _operator.Run("report", "--reporter", "gridco");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("title", missing.Output);
        Assert.Contains("description", missing.Output);

        var badWord = _analyst.Run("incidents", "list", "--severity", "apocalyptic");
        Assert.Equal(2, badWord.ExitCode);
        Assert.Contains("low, medium, high, critical", badWord.Output);

        var unknown = _analyst.Run("incidents", "show", "CIRT-2026-999999");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("not found", unknown.Output);
    }

    [GeneratedRegex(@"CIRT-\d{4}-\d{6}")]
    private static partial Regex TrackingId();
}
