using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests.Incidents;

/// <summary>
/// cirt incidents note writes a CIRT analyst's note as internal unless --shared; cirt incidents
/// show marks internal entries, says how many older entries it leaves out, and --all-timeline pages
/// through all of them. Against a real server in this process (memory profile, loopback).
/// </summary>
public sealed class NotesAndTimelineTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;
    private string _trackingId = "";

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        _trackingId = (await new ReportingService.ReportingServiceClient(Invoker()).SubmitIncidentAsync(new SubmitIncidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ReporterStakeholderId = "gridco",
            Title = "Ransomware on SCADA HMI",
            Description = "Two HMI workstations show a ransom note; operators switched to manual control.",
        })).TrackingId;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ANoteFromTheCommandLineIsInternalUnlessShared()
    {
        var (internalExit, internalOutput) = await RunAsync("incidents", "note", _trackingId, "suspect: an insider");
        var (sharedExit, sharedOutput) = await RunAsync("incidents", "note", _trackingId, "Isolate the HMI network now", "--shared");

        Assert.Equal((0, 0), (internalExit, sharedExit));
        Assert.Contains("suspect: an insider (internal: CIRT staff only)", internalOutput);
        Assert.DoesNotContain("internal", sharedOutput);
        Assert.Equal(
            [("suspect: an insider", TimelineVisibility.Internal), ("Isolate the HMI network now", TimelineVisibility.Shared)],
            (await IncidentAsync()).Timeline.Where(e => e.Kind == "note").Select(e => (e.Summary, e.Visibility)));
    }

    [Fact]
    public async Task ShowMarksTheInternalEntriesAndSaysWhoReadsThem()
    {
        await Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = _trackingId, Text = "police informed" });

        var (exitCode, output) = await RunAsync("incidents", "show", _trackingId);

        Assert.Equal(0, exitCode);
        Assert.Contains("note (internal)", output);
        Assert.DoesNotContain("reported (internal)", output);
        Assert.Contains("(internal): CIRT staff only; every other entry is shared with the organisations that see the incident.", output);
    }

    [Fact]
    public async Task ShowSaysHowManyOlderEntriesItLeavesOutAndAllTimelineShowsEveryOne()
    {
        for (var n = 1; n <= 120; n++)
        {
            await Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = _trackingId, Text = $"entry-{n:D3}", Visibility = TimelineVisibility.Shared });
        }

        var (_, newest) = await RunAsync("incidents", "show", _trackingId);
        var (allExit, all) = await RunAsync("incidents", "show", _trackingId, "--all-timeline");

        Assert.Contains("Timeline (newest 100 of 121)", newest);
        Assert.Contains("21 older entries not shown: --all-timeline shows them.", newest);
        Assert.DoesNotContain("entry-020", newest);
        Assert.Contains("entry-021", newest);
        Assert.Equal(0, allExit);
        Assert.Contains("Timeline (121)", all);
        Assert.All(Enumerable.Range(1, 120), n => Assert.Contains($"entry-{n:D3}", all));
        Assert.DoesNotContain("older entries not shown", all);
    }

    [Fact]
    public async Task TheHelpOffersSharedNotesAndTheWholeTimeline()
    {
        var (_, note) = await RunAsync("incidents", "note", "--help");
        var (_, show) = await RunAsync("incidents", "show", "--help");

        Assert.Contains("--shared", note);
        Assert.Contains("internal: CIRT staff only", note);
        Assert.Contains("--all-timeline", show);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);

    private IncidentService.IncidentServiceClient Incidents() => new(Invoker());

    private async Task<Incident> IncidentAsync() =>
        (await Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = _trackingId, TimelinePageSize = 1_000 })).Incident;

    private CallInvoker Invoker() => _server.Invoker(_server.CoordinatorKey);
}
