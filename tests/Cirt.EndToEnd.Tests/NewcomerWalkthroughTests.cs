using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// The product as a newcomer meets it: the built server on the embedded profile in an empty
/// folder, administered with the bootstrap key, driven by the cirt console as a coordinator, an
/// operator and an analyst, killed with kill -9 and started again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class NewcomerWalkthroughTests : IDisposable
{
    private readonly ConsoleWalkthrough _walkthrough = new("cirt-e2e-");
    private readonly ServerProcess _server;
    private readonly CirtCli _coordinator;
    private readonly CirtCli _operator;
    private readonly CirtCli _analyst;

    public NewcomerWalkthroughTests()
    {
        _server = _walkthrough.Server;
        _coordinator = _walkthrough.Person("carol");
        _operator = _walkthrough.Person("gridco-soc");
        _analyst = _walkthrough.Person("alice");
    }

    public void Dispose() => _walkthrough.Dispose();

    [Fact]
    public void AnIncidentIsReportedTriagedWorkedAndClosedAndSurvivesKillDashNine()
    {
        _server.Start();
        Assert.True(File.Exists(Path.Combine(_server.DataDirectory, "cirt.db")), "the embedded profile keeps its data in cirt.db under Cirt:DataDirectory");
        LogIn();

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
        var tasks = _operator.Run("tasks", "list").Succeeded().Output;
        Assert.Contains("Isolate the infected systems from the network", tasks);
        Assert.DoesNotContain("Analyse the samples", tasks);
        _operator.Run("tasks", "update", trackingId, "1", "done", "--note", "Both HMIs unplugged").Succeeded();
        _operator.Run("incidents", "note", trackingId, "Grid operator switched to manual control").Succeeded();
        var notified = _operator.Run("incidents", "nis2", trackingId, "notification", "Initial assessment: two HMIs encrypted, no outage").Succeeded().Output;
        Assert.Contains("NIS2 incident notification received, on time", notified);
        var due = _analyst.Run("deadlines").Succeeded().Output;
        Assert.Contains(trackingId, due);
        Assert.Contains("final report (1 month)", due);
        Assert.DoesNotContain("incident notification (72 h)", due);
        Assert.Contains("Nothing is overdue.", _analyst.Run("deadlines", "--overdue").Succeeded().Output);

        var drafted = _coordinator.Run("advisories", "create", "--title", "ExampleVPN RCE exploited against grid operators",
            "--summary", "Patch now", "--tlp", "amber", "--affected-cve", "CVE-2026-12345:9.8", "--sector", "ENERGY",
            "--action", "Upgrade to 9.5", "--ip", "203.0.113.66").Succeeded().Output;
        var advisoryId = System.Text.RegularExpressions.Regex.Match(drafted, @"ADV-\d{4}-\d{4}").Value;
        Assert.Contains("gridco", _coordinator.Run("advisories", "publish", advisoryId).Succeeded().Output);
        Assert.Contains(advisoryId, _operator.Run("advisories", "list", "--unacknowledged").Succeeded().Output);
        Assert.Contains(advisoryId, _operator.Run("inbox", "--once").Succeeded().Output);
        Assert.Contains("CVE-2026-12345 (CVSS 9.8, critical)", _operator.Run("advisories", "show", advisoryId).Succeeded().Output);
        _operator.Run("advisories", "ack", advisoryId).Succeeded();
        Assert.Contains("Nothing waits for an acknowledgement.", _operator.Run("advisories", "list", "--unacknowledged").Succeeded().Output);
        _analyst.Run("incidents", "observe", trackingId, "--domain", "c2.evil.example", "--hash", new string('a', 64)).Succeeded();

        _server.Kill();
        _server.Start();
        Assert.Contains("0 entries created", _server.Output);

        var shown = _analyst.Run("incidents", "show", trackingId).Succeeded().Output;
        Assert.Contains("responding", shown);
        Assert.Contains("malicious-code/infected-system", shown);
        Assert.Contains("Grid operator switched to manual control", shown);
        Assert.Contains("c2.evil.example", shown);
        Assert.Contains("gridco-soc@gridco", shown);
        Assert.Contains("NIS2 reports received (1)", shown);
        Assert.Contains("alice", shown);
        Assert.Contains(trackingId, _analyst.Run("incidents", "list", "--status", "responding", "--sector", "ENERGY").Succeeded().Output);

        var illegal = _analyst.Run("incidents", "move", trackingId, "closed");
        Assert.Equal(1, illegal.ExitCode);
        Assert.Contains("Legal transitions from responding: recovering, resolved", illegal.Output);

        _analyst.Run("incidents", "move", trackingId, "recovering").Succeeded();
        var notRestored = _analyst.Run("incidents", "move", trackingId, "resolved");
        Assert.Equal(1, notRestored.ExitCode);
        Assert.Contains("not yet restored: gridco", notRestored.Output);
        _operator.Run("incidents", "restoration", trackingId, "gridco", "restored", "--note", "SCADA back on automatic control").Succeeded();
        _analyst.Run("incidents", "move", trackingId, "resolved").Succeeded();

        var unreviewed = _analyst.Run("incidents", "move", trackingId, "closed");
        Assert.Equal(1, unreviewed.ExitCode);
        Assert.Contains("post-incident review", unreviewed.Output);
        _analyst.Run("review", "record", trackingId, "--what-happened", "Ransomware through the VPN encrypted two HMIs",
            "--root-cause", "VPN without MFA", "--lessons", "Segment OT from the VPN",
            "--follow-up", "Advisory to the energy sector on VPN MFA").Succeeded();
        Assert.Contains("VPN without MFA", _analyst.Run("review", "show", trackingId).Succeeded().Output);
        Assert.Contains("Task 5 for gridco", _analyst.Run("review", "task", trackingId, "1", "--stakeholder", "gridco", "--due", "30d").Succeeded().Output);
        var fromReview = _coordinator.Run("review", "advisory", trackingId, "1", "--sector", "ENERGY").Succeeded().Output;
        Assert.Contains("drafted from follow-up 1", fromReview);
        _analyst.Run("incidents", "move", trackingId, "closed").Succeeded();

        var closed = _analyst.Run("incidents", "show", trackingId).Succeeded().Output;
        Assert.Contains("closed", closed);
        Assert.Contains("Advisory to the energy sector on VPN MFA", closed);
        Assert.Contains("Timeline (15)", closed);
        Assert.Contains("SCADA back on automatic control", closed);
        // Closing cancelled the tasks still open (the follow-up among them): they leave the operator's list.
        Assert.Contains("open task(s) cancelled as the incident is closed", closed);
        Assert.DoesNotContain(trackingId, _operator.Run("tasks", "list").Succeeded().Output);
    }

    [Fact]
    public void RolesAreEnforcedAndARevokedKeyStopsWorkingAtOnce()
    {
        _server.Start();
        var operatorKeyId = LogIn();

        var denied = _operator.Run("incidents", "triage", "CIRT-2026-000001", "--class", "test", "--type", "test", "--severity", "low");
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("PERMISSION_DENIED", denied.Output);
        var otherOrganisation = _operator.Run("report", "--reporter", "firstbank", "--title", "t", "--description", "d");
        Assert.Equal(1, otherOrganisation.ExitCode);
        Assert.Contains("reports for 'gridco' only", otherOrganisation.Output);

        _coordinator.Run("keys", "revoke", operatorKeyId).Succeeded();

        var revoked = _operator.Run("incidents", "list");
        Assert.Equal(4, revoked.ExitCode);
        Assert.Contains("revoked", revoked.Output);
        Assert.Contains("3 key(s), 2 active.", _coordinator.Run("keys", "list").Succeeded().Output);
    }

    [Fact]
    public void BadInputGetsAClearMessageAndANonZeroExit()
    {
        _server.Start();
        LogIn();

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

        var anonymous = _walkthrough.Person("nobody").Run("incidents", "list", "--server", _server.Url);
        Assert.Equal(4, anonymous.ExitCode);
        Assert.Contains("cirt login", anonymous.Output);
    }

    /// <summary>
    /// The coordinator logs in with the bootstrap key and issues an operator key for gridco and an
    /// analyst key for alice, who log in with them. Returns the operator's key id.
    /// </summary>
    private string LogIn()
    {
        var login = _coordinator.Run("login", "--server", _server.Url, "--key", _server.BootstrapKey).Succeeded();
        Assert.Contains("bootstrap (coordinator)", login.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_coordinator.ConfigFile));

        var operatorIssue = _coordinator.Run("keys", "issue", "--name", "gridco-soc", "--role", "operator", "--stakeholder", "gridco").Succeeded();
        var analystIssue = _coordinator.Run("keys", "issue", "--name", "alice", "--role", "analyst").Succeeded();
        _operator.Run("login", "--server", _server.Url, "--key", ApiKey().Match(operatorIssue.Output).Value).Succeeded();
        _analyst.Run("login", "--server", _server.Url, "--key", ApiKey().Match(analystIssue.Output).Value).Succeeded();
        Assert.Contains("gridco-soc (operator for gridco)", _operator.Run("whoami").Succeeded().Output);
        return KeyId().Match(operatorIssue.Output).Groups[1].Value;
    }

    [GeneratedRegex(@"CIRT-\d{4}-\d{6}")]
    private static partial Regex TrackingId();

    [GeneratedRegex(@"cirt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"key ([0-9a-f]{16})")]
    private static partial Regex KeyId();
}
