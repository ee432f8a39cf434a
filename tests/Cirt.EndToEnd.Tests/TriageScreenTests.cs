using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// cirt triage as an analyst works it: the real console in an 80×24 terminal (tmux) against the
/// built server; keys typed, the screen read. A report made elsewhere appears on the screen, and
/// the triage chosen with the RSIT pickers is what the server holds.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class TriageScreenTests : IDisposable
{
    private readonly ConsoleWalkthrough _walkthrough = new("cirt-e2e-triage-");
    private readonly ServerProcess _server;
    private readonly CirtCli _coordinator;

    public TriageScreenTests()
    {
        _server = _walkthrough.Server;
        _coordinator = _walkthrough.Person("carol");
    }

    public void Dispose() => _walkthrough.Dispose();

    [Fact]
    public void AnAnalystSeesANewReportArriveAndWorksItWithTheKeyboardAt80By24()
    {
        _server.Start();
        _coordinator.Run("login", "--server", _server.Url, "--key", _server.BootstrapKey).Succeeded();
        var analyst = _walkthrough.Person("alice");
        var issued = _coordinator.Run("keys", "issue", "--name", "alice", "--role", "analyst").Succeeded();
        analyst.Run("login", "--server", _server.Url, "--key", ApiKey().Match(issued.Output).Value).Succeeded();

        using var pane = new TmuxPane(80, 24, $"dotnet {Binaries.Console} triage",
            new Dictionary<string, string> { ["CIRT_CONFIG"] = analyst.ConfigFile, ["DOTNET_NOLOGO"] = "1" });
        pane.WaitFor("Nothing in the queue matches the filter");

        var report = _coordinator.Run("report", "--reporter", "gridco", "--title", "Ransomware at the control centre",
            "--description", "Two HMIs show a ransom note", "--severity", "critical").Succeeded().Output;
        var trackingId = TrackingId().Match(report).Value;
        var arrived = pane.WaitFor(trackingId, TimeSpan.FromSeconds(10));
        var row = Line(arrived, trackingId);
        Assert.Contains("critical?", row); // the reporter's claim, until triage
        Assert.Contains("reported", row);
        Assert.Matches(@"\d+h\d\dm", row); // the countdown to the triage SLA
        Assert.All(arrived.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, $"wider than the terminal: {line}"));

        pane.Send("t");
        pane.WaitFor($"RSIT class of {trackingId}");
        pane.Send("Down"); // abusive-content, then malicious-code
        pane.Send("Enter");
        pane.WaitFor("RSIT type (malicious-code)");
        pane.Send("Enter"); // infected-system
        pane.WaitFor("the reporter claims critical");
        pane.Send("Enter"); // the claim comes first
        var triaged = pane.WaitFor($"{trackingId} triaged: malicious-code/infected-system, critical.");
        // The row (above the message line) shows the triage once the watch tells it.
        pane.WaitFor(screen => Line(screen, trackingId) is var line && line.Contains("triaged") && !line.Contains("critical?"), "the triaged row");

        var listed = _coordinator.Run("incidents", "list", "--status", "triaged", "--output", "json").Succeeded().Output;
        var incident = Assert.Single(JsonDocument.Parse(listed).RootElement.GetProperty("incidents").EnumerateArray());
        Assert.Equal(trackingId, incident.GetProperty("trackingId").GetString());
        Assert.Equal("INCIDENT_STATUS_TRIAGED", incident.GetProperty("status").GetString());
        Assert.Equal("malicious-code", incident.GetProperty("rsitClass").GetString());
        Assert.Equal("infected-system", incident.GetProperty("rsitType").GetString());
        Assert.Equal("SEVERITY_CRITICAL", incident.GetProperty("severity").GetString());
        Assert.NotNull(triaged);

        pane.Send("o");
        pane.WaitFor("Press any key to return to the queue.");
        pane.Send("Space");
        pane.WaitFor(screen => screen.Contains("cirt triage", StringComparison.Ordinal) && screen.Contains(trackingId, StringComparison.Ordinal), "the queue again");

        pane.Send("a");
        pane.WaitFor($"Assign {trackingId} to");
        pane.Send("alice", "Enter");
        pane.WaitFor($"{trackingId} assigned to alice.");
        pane.Send("n");
        pane.WaitFor($"Note on {trackingId}");
        pane.Send("Isolated the two HMIs", "Enter");
        pane.WaitFor($"Note added to {trackingId}.");
        var worked = Assert.Single(JsonDocument.Parse(_coordinator.Run("incidents", "list", "--status", "triaged", "--output", "json").Succeeded().Output)
            .RootElement.GetProperty("incidents").EnumerateArray());
        Assert.Equal("alice", worked.GetProperty("assignee").GetString());
        Assert.Contains("Isolated the two HMIs", _coordinator.Run("incidents", "show", trackingId).Succeeded().Output);

        // Only what waits for triage: the triaged incident leaves the screen.
        pane.Send("f");
        pane.WaitFor("waiting for triage");
        pane.Send("Down", "Enter");
        pane.WaitFor(screen => screen.Contains("cirt triage  reported", StringComparison.Ordinal) && !screen.Contains(trackingId, StringComparison.Ordinal), "the filtered queue");

        pane.Send("q");
        pane.WaitFor("[exited 0]");
    }

    /// <summary>The screen line holding <paramref name="text"/> (empty when none).</summary>
    private static string Line(string screen, string text) =>
        screen.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) ?? "";

    [GeneratedRegex(@"CIRT-\d{4}-\d{6}")]
    private static partial Regex TrackingId();

    [GeneratedRegex(@"cirt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")]
    private static partial Regex ApiKey();
}
