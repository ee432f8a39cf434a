using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Sectors;

/// <summary>The sector view on a server of its own (counts start from zero) whose clock the test moves.</summary>
public sealed class SectorViewTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
    private readonly ServerFixture _server;

    public SectorViewTests()
    {
        _server = new ServerFixture { Clock = _clock };
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TheEnergySectorShowsItsIncidentsOverdueWorkAndAnAlertLevelThatExercisesDoNotRaise()
    {
        var quiet = await ViewAsync();
        Assert.Equal((1, "no open incidents"), (quiet.AlertLevel, quiet.AlertBasis));

        var exercise = Reports.Valid("gridco");
        exercise.Exercise = true;
        exercise.Title = "Annual grid ransomware exercise";
        var drill = (await _server.Reporting().SubmitIncidentAsync(exercise)).Incident;
        Assert.True(drill.Exercise);
        Assert.StartsWith("EXERCISE.", drill.Timeline[0].Summary, StringComparison.Ordinal);
        await TriageAsync(drill.TrackingId, Severity.Critical);

        var real = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        await TriageAsync(real, Severity.Critical);

        var view = await ViewAsync();
        Assert.Equal(4, view.AlertLevel);
        Assert.Equal("an open critical incident", view.AlertBasis);
        Assert.Equal(1, view.Sector.OpenIncidentCount);
        Assert.Equal(1, view.OpenExerciseCount);
        Assert.Equal(1, view.OpenByStatus.Single(c => c.Status == IncidentStatus.Triaged).Count);
        Assert.Equal(1, view.OpenBySeverity.Single(c => c.Severity == Severity.Critical).Count);
        Assert.Contains(view.OpenIncidents, i => i.TrackingId == drill.TrackingId && i.Exercise);

        // A day later: the malware playbook's 4-hour task and (no notification was due) nothing else is overdue.
        _clock.Advance(TimeSpan.FromDays(1));
        view = await ViewAsync();
        Assert.Equal(2, view.OverdueTaskCount); // the isolation task of the exercise and of the real incident
        Assert.Equal(0, view.OverdueDeadlineCount);

        // A coordinator raises the level by hand; an analyst may not.
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => _server.Sectors(_server.AnalystKey).SetAlertLevelAsync(
            new SetAlertLevelRequest { Code = "ENERGY", Level = 5, Reason = "r" }).ResponseAsync);
        var raised = await _server.Sectors().SetAlertLevelAsync(new SetAlertLevelRequest { Code = "ENERGY", Level = 5, Reason = "Campaign against grid operators" });
        Assert.Equal(5, raised.AlertLevel);
        Assert.StartsWith("raised by ", raised.AlertBasis, StringComparison.Ordinal);
        Assert.Equal(5, (await ViewAsync()).ManualAlert.Level);

        var cleared = await _server.Sectors().SetAlertLevelAsync(new SetAlertLevelRequest { Code = "ENERGY", Level = 0 });
        Assert.Equal(4, cleared.AlertLevel);
        Assert.Null(cleared.ManualAlert);

        Assert.Equal(["level", "reason"], (await RpcAssert.InvalidFields(() => _server.Sectors().SetAlertLevelAsync(
            new SetAlertLevelRequest { Code = "ENERGY", Level = 6 }).ResponseAsync)).Order());
    }

    [Fact]
    public async Task AnOverdueNis2NotificationShowsInItsSectorsView()
    {
        var id = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        await TriageAsync(id, Severity.High);
        _clock.Advance(TimeSpan.FromHours(73));

        var view = await ViewAsync();

        var overdue = Assert.Single(view.OverdueDeadlines);
        Assert.Equal((id, DeadlineKind.Nis2Notification), (overdue.Incident.TrackingId, overdue.Deadline.Kind));
        Assert.Equal(1, view.OverdueDeadlineCount);
        Assert.Equal(3, view.AlertLevel);
        Assert.Equal(0, (await _server.Sectors().GetSectorAsync(new GetSectorRequest { Code = "BANKING" })).OverdueDeadlineCount);
    }

    private async Task<GetSectorResponse> ViewAsync() =>
        await _server.Sectors(_server.AnalystKey).GetSectorAsync(new GetSectorRequest { Code = "ENERGY" });

    private Task TriageAsync(string id, Severity severity) =>
        _server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = severity,
        }).ResponseAsync;
}
