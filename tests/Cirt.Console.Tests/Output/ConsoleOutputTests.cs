using System.Text.RegularExpressions;
using Cirt.Console.Infrastructure;
using Cirt.Console.Tests.Partners;
using Cirt.Contracts.V1;
using Google.Protobuf;
using Spectre.Console;

namespace Cirt.Console.Tests.Output;

/// <summary>
/// What a script gets from the console: with --output json, one JSON document per command that
/// parses back into the command's response; piped tables in plain columns without padding, box
/// drawing or colour; every time in one format. Against a real server in this process.
/// </summary>
public sealed partial class ConsoleOutputTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;
    private readonly PartnerFiles _files = new();
    private string _trackingId = "";

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        var (exitCode, reported) = await JsonAsync<SubmitIncidentResponse>("report", "--reporter", "gridco", "--title", "Ransomware on the HMI",
            "--description", "Two HMIs encrypted", "--significant", "--severity", "high");
        Assert.Equal(0, exitCode);
        _trackingId = reported.TrackingId;
        Assert.Equal(0, (await RunAsync("tasks", "add", _trackingId, "Isolate the substation network", "--stakeholder", "gridco", "--due", "48h")).ExitCode);
        Assert.Equal(0, (await RunAsync("playbooks", "set", "malicious-code", "--step", "reporter:4:Isolate the infected hosts")).ExitCode);
        Assert.Equal(0, (await RunAsync(_files.Register("cirt-de", "--max-tlp", "green", "--all-sectors", "--kind", "advisory",
            "--legal-basis", "NIS2 Art. 10(7)", "--retention-days", "365"))).ExitCode);
        Assert.Equal(0, (await RunAsync("advisories", "create", "--title", "Patch the HMI firmware", "--summary", "Update now", "--sector", "ENERGY")).ExitCode);
        Assert.Equal(0, (await RunAsync("feeds", "register", "national-sinkhole", "--trust", "national", "--description", "Sinkholed C2 domains")).ExitCode);
    }

    public async Task DisposeAsync()
    {
        _files.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheReportAnswersWithItsResponseAndTheTableShowsTheSameTrackingId()
    {
        var (_, table) = await RunAsync("incidents", "list");
        var (exitCode, reported) = await JsonAsync<SubmitIncidentResponse>("report", "--reporter", "gridco", "--title", "Phishing wave",
            "--description", "Mails to the billing desk");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^CIRT-\d{4}-\d{6}$", reported.TrackingId);
        Assert.Equal(reported.TrackingId, reported.Incident.TrackingId);
        Assert.Equal("Phishing wave", reported.Incident.Title);
        Assert.Contains(_trackingId, table);
    }

    [Fact]
    public async Task EveryBranchAnswersWithOneJsonDocumentOfItsResponseWithTheValuesItsTableShows()
    {
        var list = await BothAsync<ListIncidentsResponse>("incidents", "list");
        var incident = Assert.Single(list.Json.Incidents);
        Assert.Equal((_trackingId, "Ransomware on the HMI", IncidentStatus.Reported), (incident.TrackingId, incident.Title, incident.Status));
        Assert.Equal(1, list.Json.TotalSize);
        Assert.Contains(_trackingId, list.Table);
        Assert.Contains("Ransomware on the HMI", list.Table);
        Assert.Contains(Times.Of(incident.ReportedAt), list.Table);

        var shown = await BothAsync<GetIncidentResponse>("incidents", "show", _trackingId);
        Assert.Equal(_trackingId, shown.Json.Incident.TrackingId);
        Assert.Equal(Severity.High, shown.Json.Incident.ReportedSeverity);
        Assert.Equal("Two HMIs encrypted", shown.Json.Incident.Description);
        Assert.Contains("Two HMIs encrypted", shown.Table);
        Assert.All(shown.Json.Incident.Deadlines, d => Assert.Contains(Times.Of(d.DueAt), shown.Table));

        var tasks = await BothAsync<ListTasksResponse>("tasks", "list");
        var task = Assert.Single(tasks.Json.Tasks);
        Assert.Equal(("Isolate the substation network", "gridco", _trackingId), (task.Task.Title, task.Task.AssigneeStakeholderId, task.Incident.TrackingId));
        Assert.Contains("Isolate the substation network", tasks.Table);
        Assert.Contains(Times.Of(task.Task.DueAt), tasks.Table);

        var deadlines = await BothAsync<ListDeadlinesResponse>("deadlines");
        Assert.NotEmpty(deadlines.Json.Deadlines);
        Assert.All(deadlines.Json.Deadlines, d =>
        {
            Assert.Equal(_trackingId, d.Incident.TrackingId);
            Assert.Contains(Times.Of(d.Deadline.DueAt), deadlines.Table);
        });

        var advisories = await BothAsync<ListAdvisoriesResponse>("advisories", "list");
        var advisory = Assert.Single(advisories.Json.Advisories);
        Assert.Equal(("Patch the HMI firmware", AdvisoryStatus.Draft), (advisory.Content.Title, advisory.Status));
        Assert.Contains(advisory.Id, advisories.Table);
        Assert.Contains("Patch the HMI firmware", advisories.Table);

        var keys = await BothAsync<ListKeysResponse>("keys", "list");
        Assert.Contains(keys.Json.Keys, k => k.Role == Role.Coordinator);
        Assert.All(keys.Json.Keys, k =>
        {
            Assert.Contains(k.KeyId, keys.Table);
            Assert.Contains(Times.Of(k.IssuedAt), keys.Table);
        });

        var partners = await BothAsync<ListPartnersResponse>("partners", "list");
        var partner = Assert.Single(partners.Json.Partners);
        Assert.Equal(("cirt-de", "DE", Tlp.Green), (partner.Id, partner.Country, partner.Agreement.MaxTlp));
        Assert.Contains("cirt-de", partners.Table);

        var feeds = await BothAsync<ListFeedsResponse>("feeds", "list");
        var feed = Assert.Single(feeds.Json.Feeds);
        Assert.Equal(("national-sinkhole", FeedTrust.National, "Sinkholed C2 domains"), (feed.Name, feed.Trust, feed.Description));
        Assert.Contains("national-sinkhole", feeds.Table);

        var stakeholders = await BothAsync<ListStakeholdersResponse>("stakeholders", "list");
        Assert.Equal(stakeholders.Json.TotalSize, stakeholders.Json.Stakeholders.Count);
        Assert.Contains(stakeholders.Json.Stakeholders, st => st.Id == "gridco");
        Assert.Equal("", stakeholders.Json.NextPageToken);
        Assert.All(stakeholders.Json.Stakeholders, st => Assert.Contains(st.Id, stakeholders.Table));
        Assert.Contains($"{stakeholders.Json.TotalSize} stakeholder(s).", stakeholders.Table);

        var playbooks = await BothAsync<ListPlaybooksResponse>("playbooks", "list");
        var playbook = Assert.Single(playbooks.Json.Playbooks, p => p.RsitClass == "malicious-code");
        Assert.Equal("Isolate the infected hosts", Assert.Single(playbook.Steps).Title);
        Assert.Contains("Isolate the infected hosts", playbooks.Table);
        Assert.Contains(Times.Of(playbook.UpdatedAt), playbooks.Table);

        var me = await BothAsync<WhoAmIResponse>("whoami");
        Assert.Equal(Role.Coordinator, me.Json.Key.Role);
        Assert.Contains(me.Json.Key.KeyId, me.Table);
    }

    [Fact]
    public async Task AChangeAnswersWithItsResponseNotItsOneLine()
    {
        var (exitCode, noted) = await JsonAsync<AddNoteResponse>("incidents", "note", _trackingId, "Called the SOC");

        Assert.Equal(0, exitCode);
        Assert.Equal(_trackingId, noted.Incident.TrackingId);
        Assert.Equal(TimelineVisibility.Internal, noted.Incident.Timeline.Last().Visibility);
    }

    [Fact]
    public async Task JsonNamesFieldsInLowerCamelCaseEnumsByProtoNameTimesInRfc3339AndWritesDefaults()
    {
        var (_, output) = await PipedConsole.RunAsync(_server, _server.CoordinatorKey, "incidents", "list", "--output", "json");

        Assert.Contains("\"trackingId\": \"" + _trackingId + "\"", output);
        Assert.Contains("\"status\": \"INCIDENT_STATUS_REPORTED\"", output);
        // Not assessed yet: the default is written rather than left out.
        Assert.Contains("\"severity\": \"SEVERITY_UNSPECIFIED\"", output);
        Assert.Contains("\"assignee\": \"\"", output);
        Assert.Matches(RfcTime(), output);
    }

    [Fact]
    public async Task PipedTablesArePlainColumnsAsWideAsTheirContent()
    {
        foreach (var args in new[]
                 {
                     new[] { "incidents", "list" }, ["incidents", "show", _trackingId], ["tasks", "list"], ["deadlines"], ["keys", "list"],
                     ["advisories", "list"], ["partners", "list"], ["partners", "show", "cirt-de"], ["feeds", "list"], ["stakeholders", "list"],
                     ["playbooks", "list"],
                 })
        {
            var (exitCode, output) = await PipedConsole.RunAsync(_server, _server.CoordinatorKey, args);
            var lines = output.Split('\n');
            var command = string.Join(' ', args);

            Assert.True(exitCode == 0, $"{command}: exit code {exitCode}\n{output}");
            Assert.All(lines, line => Assert.True(line == line.TrimEnd(), $"{command}: a line ends in padding: '{line}'"));
            Assert.DoesNotMatch(BoxDrawing(), output);
            Assert.DoesNotContain("\u001b[", output);
            // No line is padded out to a fixed width: the widest is as wide as the widest content.
            Assert.True(lines.Max(l => l.Length) < Terminal.PipedWidth, command);
            // One time format, ISO 8601 UTC: not the console's former "2026-12-01 01:30 UTC".
            Assert.DoesNotContain(" UTC", output);
        }

        var (_, queue) = await PipedConsole.RunAsync(_server, _server.CoordinatorKey, "incidents", "list");
        var header = queue.Split('\n').First(line => line.Length > 0);
        Assert.StartsWith("Tracking id", header);
        Assert.Matches(IsoMinute(), queue);
        var row = Assert.Single(queue.Split('\n'), line => line.StartsWith(_trackingId, StringComparison.Ordinal));
        Assert.EndsWith("Ransomware on the HMI", row);
    }

    [Fact]
    public async Task ATerminalWithoutAWidthStillShowsTheQueue()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new ZeroWidthTerminal(output) });
        Assert.Equal(0, console.Profile.Width);

        var exitCode = await CirtConsole.RunAsync(["incidents", "list", "--server", _server.Url, "--key", _server.CoordinatorKey], Terminal.FitWidth(console));

        Assert.Equal(0, exitCode);
        Assert.Equal(Terminal.FallbackWidth, console.Profile.Width);
        Assert.True(output.ToString().Contains(_trackingId, StringComparison.Ordinal), output.ToString());
        // Laid out at 80 columns (colours aside), the optional columns left out rather than the table.
        Assert.All(AnsiEscape().Replace(output.ToString(), "").Split('\n'), line => Assert.True(line.TrimEnd().Length <= Terminal.FallbackWidth, line));
        Assert.DoesNotContain("Classification", output.ToString());
    }

    /// <summary>A terminal that reports a width of zero, as some CI runners and detached sessions do.</summary>
    private sealed class ZeroWidthTerminal(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => true;

        public int Width => 0;

        public int Height => 0;

        public void SetEncoding(System.Text.Encoding encoding)
        {
        }
    }

    [Fact]
    public async Task TheInboxWritesOneJsonDocumentPerLinePerStreamMessage()
    {
        var issued = await JsonAsync<IssueKeyResponse>("keys", "issue", "gridco-soc", "--role", "operator", "--stakeholder", "gridco");

        var (exitCode, output) = await PipedConsole.RunAsync(_server, issued.Response.ApiKey, "inbox", "--once", "--output", "json");

        Assert.Equal(0, exitCode);
        var messages = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JsonParser.Default.Parse<FollowInboxResponse>).ToArray();
        Assert.Contains(messages, m => m.Item.Kind == InboxItemKind.Task && m.Item.Summary.Contains("Isolate the substation network", StringComparison.Ordinal));
        Assert.Equal(InboxItemKind.Live, messages[^1].Item.Kind);
    }

    /// <summary>Runs a command with --output json, piped; its output must be one JSON document of <typeparamref name="T"/>.</summary>
    private async Task<(int ExitCode, T Response)> JsonAsync<T>(params string[] args) where T : IMessage<T>, new()
    {
        var (exitCode, output) = await PipedConsole.RunAsync(_server, _server.CoordinatorKey, [.. args, "--output", "json"]);
        Assert.True(exitCode == 0, $"{string.Join(' ', args)}: exit code {exitCode}\n{output}");
        // The parser refuses anything after the document: one document, nothing else.
        return (exitCode, JsonParser.Default.Parse<T>(output));
    }

    /// <summary>The command's answer as JSON and as the table people read (piped).</summary>
    private async Task<(T Json, string Table)> BothAsync<T>(params string[] args) where T : IMessage<T>, new()
    {
        var (_, json) = await JsonAsync<T>(args);
        var (exitCode, table) = await PipedConsole.RunAsync(_server, _server.CoordinatorKey, args);
        Assert.Equal(0, exitCode);
        return (json, table);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);

    [GeneratedRegex("[\u2500-\u257F]")]
    private static partial Regex BoxDrawing();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z")]
    private static partial Regex IsoMinute();

    [GeneratedRegex(@"""reportedAt"": ""\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z""")]
    private static partial Regex RfcTime();
}
