using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests.Reviews;

/// <summary>
/// cirt review task|advisory turn a review's follow-up action into a task or a draft advisory, the
/// action's text as its title. A title is refused when too long, never cut short: the console says
/// so (exit code 2, naming --title) and creates nothing; --title gives another. Against a real
/// server in this process (memory profile, loopback).
/// </summary>
public sealed class FollowUpTitleTests : IAsyncLifetime
{
    private static readonly string LongAction =
        "Segment the substation HMI network from the corporate network, with a jump host for vendor access, "
        + "multi-factor authentication on every remote session, and an alert on any change to the PLC logic "
        + "outside a planned maintenance window.";

    private const string ShortAction = "Rehearse manual operation of the substations twice a year";

    private ConsoleServer _server = null!;
    private string _trackingId = "";

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        var invoker = Invoker();

        // A resolved incident whose review has one follow-up action too long for a title, and one short.
        var incidents = new IncidentService.IncidentServiceClient(invoker);
        _trackingId = (await new ReportingService.ReportingServiceClient(invoker).SubmitIncidentAsync(new SubmitIncidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ReporterStakeholderId = "gridco",
            Title = "Ransomware on SCADA HMI",
            Description = "Two HMI workstations show a ransom note; operators switched to manual control.",
        })).TrackingId;
        await incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = _trackingId, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        });
        await incidents.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = _trackingId, TargetStatus = IncidentStatus.Resolved });
        await incidents.RecordReviewAsync(new RecordReviewRequest
        {
            TrackingId = _trackingId,
            WhatHappened = "Phishing mail to an engineer; the HMI shared the office network.",
            RootCause = "No segmentation between office and control networks.",
            FollowUpActions = { LongAction, ShortAction },
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
    public async Task ATaskFromAnActionTooLongForATitleIsRefusedNamingTitleAndNothingIsCreated()
    {
        Assert.True(LongAction.Length > 200);

        var (exitCode, output) = await RunAsync("review", "task", _trackingId, "1");

        Assert.Equal(2, exitCode);
        Assert.Contains("--title", output);
        Assert.Contains($"{LongAction.Length} characters", output); // the server's reason, shown
        Assert.Empty(await TasksAsync());
    }

    [Fact]
    public async Task ATaskTakesTheActionWholeOrTheTitleGiven()
    {
        var (shortExit, _) = await RunAsync("review", "task", _trackingId, "2");
        var (titledExit, _) = await RunAsync("review", "task", _trackingId, "1", "--title", "Segment the substation HMI network");

        Assert.Equal((0, 0), (shortExit, titledExit));
        Assert.Equal([ShortAction, "Segment the substation HMI network"], (await TasksAsync()).Select(t => t.Title));
    }

    [Fact]
    public async Task AnAdvisoryFromAnActionTooLongForATitleIsRefusedNamingTitleAndNoneIsDrafted()
    {
        var (exitCode, output) = await RunAsync("review", "advisory", _trackingId, "1", "--sector", "ENERGY");

        Assert.Equal(2, exitCode);
        Assert.Contains("--title", output);
        Assert.Empty(await AdvisoriesAsync());

        var (titledExit, _) = await RunAsync("review", "advisory", _trackingId, "1", "--sector", "ENERGY", "--title", "Segment control networks");
        Assert.Equal(0, titledExit);
        var advisory = Assert.Single(await AdvisoriesAsync());
        Assert.Equal("Segment control networks", advisory.Content.Title);
        Assert.Equal([LongAction], advisory.Content.RecommendedActions);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);

    /// <summary>The incident's tasks but those its playbook set at triage.</summary>
    private async Task<IReadOnlyList<IncidentTask>> TasksAsync() =>
        (await new IncidentService.IncidentServiceClient(Invoker()).GetIncidentAsync(new GetIncidentRequest { TrackingId = _trackingId })).Incident.Tasks
        .Where(t => !t.Origin.StartsWith("playbook:", StringComparison.Ordinal))
        .ToArray();

    private async Task<IReadOnlyList<Advisory>> AdvisoriesAsync() =>
        (await new AdvisoryService.AdvisoryServiceClient(Invoker()).ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories;

    private CallInvoker Invoker() => _server.Invoker(_server.CoordinatorKey);
}
