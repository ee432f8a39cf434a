using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Storage;

/// <summary>A server of its own, stopped and started again on the same data folder.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task EverythingSurvivesARestartAndSeedsAreNotLoadedTwiceNorOverwriteEdits()
    {
        var report = await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true));
        await _server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = report.TrackingId,
            Outcome = TriageOutcome.Accept,
            RsitClass = "intrusions",
            RsitType = "system-compromise",
            Severity = Severity.Critical,
        });
        await _server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = report.TrackingId, Text = "Isolated the HMI network" });
        var gridco = (await _server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = "gridco" })).Stakeholder;
        gridco.Name = "GridCo Electricity (renamed by a coordinator)";
        await _server.Stakeholders().UpdateStakeholderAsync(new UpdateStakeholderRequest { Stakeholder = gridco });
        var before = (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = report.TrackingId })).Incident;
        var stakeholdersBefore = (await _server.Stakeholders().ListStakeholdersAsync(new ListStakeholdersRequest())).TotalSize;

        await _server.StopAsync();
        await _server.StartAsync();

        var after = (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = report.TrackingId })).Incident;
        Assert.Equal(before, after);
        var queue = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest());
        Assert.Equal(IncidentStatus.Triaged, Assert.Single(queue.Incidents).Status);
        Assert.Equal(stakeholdersBefore, (await _server.Stakeholders().ListStakeholdersAsync(new ListStakeholdersRequest())).TotalSize);
        Assert.Equal("GridCo Electricity (renamed by a coordinator)",
            (await _server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = "gridco" })).Stakeholder.Name);
        var next = await _server.Reporting().SubmitIncidentAsync(Reports.Valid());
        Assert.NotEqual(report.TrackingId, next.TrackingId);
    }
}
