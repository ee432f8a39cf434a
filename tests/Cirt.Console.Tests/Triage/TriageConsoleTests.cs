using System.Text.Json;
using Cirt.Contracts.V1;

namespace Cirt.Console.Tests.Triage;

/// <summary>
/// cirt triage for scripts, against a real server: piped (or with --output json) it prints the
/// WatchIncidents stream as NDJSON, one event a line, scoped to what the caller may read.
/// </summary>
public sealed class TriageConsoleTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;
    private string _gridco = "";

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        var keys = new KeyService.KeyServiceClient(_server.Invoker(_server.CoordinatorKey));
        _gridco = (await keys.IssueKeyAsync(new IssueKeyRequest { Name = "gridco-soc", Role = Role.Operator, StakeholderId = "gridco" })).ApiKey;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task PipedOnceItPrintsTheQueueAsNdjsonAndAnOperatorOnlyItsOwn()
    {
        var gridcos = await ReportAsync("gridco", "GridCo's SCADA alarm");
        var banks = await ReportAsync("firstbank", "The bank's card fraud");

        var (staffExit, staff) = await _server.RunAsync(_server.CoordinatorKey, "triage", "--once");
        var (operatorExit, own) = await _server.RunAsync(_gridco, "triage", "--once");

        Assert.Equal(0, staffExit);
        var lines = Events(staff);
        Assert.Equal("WATCH_EVENT_KIND_CURRENT", lines[^1].GetProperty("kind").GetString());
        Assert.Equal([banks, gridcos], lines[..^1].Select(e => e.GetProperty("trackingId").GetString()));
        Assert.All(lines[..^1], e => Assert.Equal("WATCH_EVENT_KIND_SNAPSHOT", e.GetProperty("kind").GetString()));
        Assert.Equal("The bank's card fraud", lines[0].GetProperty("incident").GetProperty("title").GetString());
        Assert.Contains(lines[0].GetProperty("deadlines").EnumerateArray(), d => d.GetProperty("kind").GetString() == "DEADLINE_KIND_TRIAGE");

        Assert.Equal(0, operatorExit);
        Assert.Equal([gridcos, ""], Events(own).Select(e => e.GetProperty("trackingId").GetString()));
        Assert.DoesNotContain(banks, own);
    }

    [Fact]
    public async Task FollowingWithJsonItPrintsEachNewIncidentAsItComesAndStopsCleanlyOnCtrlC()
    {
        var screen = new CapturedConsole(terminal: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = CirtConsole.RunAsync(
            ["triage", "--output", "json", "--status", "reported", "--server", _server.Url, "--key", _server.CoordinatorKey], screen.Console, TextReader.Null, stop.Token);
        await Until(() => screen.Text.Contains("WATCH_EVENT_KIND_CURRENT", StringComparison.Ordinal), "the CURRENT line");

        var trackingId = await ReportAsync("gridco", "Arrives while watched");
        await Until(() => screen.Text.Contains(trackingId, StringComparison.Ordinal), "the new incident");
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        var created = Events(screen.Text).Single(e => e.GetProperty("trackingId").GetString() == trackingId);
        Assert.Equal("WATCH_EVENT_KIND_CREATED", created.GetProperty("kind").GetString());
        Assert.Equal("Arrives while watched", created.GetProperty("incident").GetProperty("title").GetString());
    }

    [Fact]
    public async Task ASnapshotOutsideOneTo500IsRefusedBeforeAnyCall()
    {
        var (exit, output) = await _server.RunAsync(_server.CoordinatorKey, "triage", "--snapshot", "0");

        // A usage error (its exit code is the console's, 2 once usage errors have theirs).
        Assert.NotEqual(0, exit);
        Assert.Contains("--snapshot must be between 1 and 500.", output);
    }

    private static JsonElement[] Events(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToArray();

    private async Task<string> ReportAsync(string reporter, string title)
    {
        var reporting = new ReportingService.ReportingServiceClient(_server.Invoker(_server.CoordinatorKey));
        return (await reporting.SubmitIncidentAsync(new SubmitIncidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), ReporterStakeholderId = reporter, Title = title, Description = "d",
        })).TrackingId;
    }

    /// <summary>Waits until <paramref name="done"/> holds, for 30 s at most.</summary>
    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not come within 30 s");
            await Task.Delay(50);
        }
    }
}
