using System.Net;
using System.Net.Sockets;
using Cirt.Contracts.V1;
using Cirt.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Incidents;

/// <summary>
/// cirt incidents note writes a CIRT analyst's note as internal unless --shared; cirt incidents
/// show marks internal entries, says how many older entries it leaves out, and --all-timeline pages
/// through all of them. Against a real server in this process (memory profile, loopback).
/// </summary>
public sealed class NotesAndTimelineTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-console-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _server;
    private GrpcChannel? _channel;
    private string _url = "";
    private string _key = "";
    private string _trackingId = "";

    public async Task InitializeAsync()
    {
        _server = CirtServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Cirt:Storage", "Memory",
            "--Cirt:DataDirectory", _directory,
            "--Cirt:SiloPort", FreePort(),
            "--Cirt:GatewayPort", FreePort(),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _server.StartAsync();
        _url = _server.Urls.Single();
        _key = (await File.ReadAllTextAsync(Path.Combine(_directory, "bootstrap-coordinator.key"))).Trim();
        _channel = GrpcChannel.ForAddress(_url);
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
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
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

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exitCode = await CirtConsole.RunAsync([.. args, "--server", _url, "--key", _key], console);
        return (exitCode, console.Output);
    }

    private IncidentService.IncidentServiceClient Incidents() => new(Invoker());

    private async Task<Incident> IncidentAsync() =>
        (await Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = _trackingId, TimelinePageSize = 1_000 })).Incident;

    private CallInvoker Invoker() => _channel!.Intercept(metadata =>
    {
        metadata.Add("authorization", "Bearer " + _key);
        return metadata;
    });

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
