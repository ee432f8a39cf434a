using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

[Collection(ServerCollection.Name)]
public sealed class ReportingServiceTests(ServerFixture server)
{
    [Fact]
    public async Task SubmitReturnsTrackingIdAndTheNis2DeadlinesOfASignificantIncident()
    {
        var awareAt = DateTimeOffset.UtcNow.AddHours(-2);
        var request = Reports.Valid("gridco", significant: true);
        request.AwareAt = Timestamp.FromDateTimeOffset(awareAt);

        var response = await server.Reporting().SubmitIncidentAsync(request);

        Assert.Matches(@"^CIRT-\d{4}-\d{6}$", response.TrackingId);
        var deadlines = response.Deadlines.ToDictionary(d => d.Kind);
        Assert.Equal(4, deadlines.Count);
        Assert.Equal(DeadlineStatus.Pending, deadlines[DeadlineKind.Triage].Status);
        Assert.Equal(awareAt.AddHours(24), deadlines[DeadlineKind.Nis2EarlyWarning].DueAt.ToDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(DeadlineStatus.Met, deadlines[DeadlineKind.Nis2EarlyWarning].Status);
        Assert.Equal(awareAt.AddHours(72), deadlines[DeadlineKind.Nis2Notification].DueAt.ToDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(DeadlineStatus.Pending, deadlines[DeadlineKind.Nis2Notification].Status);
        Assert.Equal(awareAt.AddHours(72).AddMonths(1), deadlines[DeadlineKind.Nis2FinalReport].DueAt.ToDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(IncidentStatus.Reported, response.Incident.Status);
        Assert.Equal("gridco-soc@gridco", response.Incident.Timeline.Single().Actor);
    }

    [Fact]
    public async Task ReportOfAnEntityOutsideNis2StartsOnlyTheTriageSla()
    {
        var response = await server.Reporting(server.AnalystKey).SubmitIncidentAsync(Reports.Valid("partner-cert-nl", significant: true));

        Assert.Equal([DeadlineKind.Triage], response.Deadlines.Select(d => d.Kind));
    }

    [Fact]
    public async Task ResendingTheSameRequestStoresNothingTwice()
    {
        var request = Reports.Valid();
        request.Title = "Resent report " + Guid.NewGuid().ToString("N")[..8];

        var first = await server.Reporting().SubmitIncidentAsync(request);
        var second = await server.Reporting().SubmitIncidentAsync(request);

        Assert.Equal(first.TrackingId, second.TrackingId);
        Assert.Equal(first.Incident.Version, second.Incident.Version);
        var queue = await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "gridco", PageSize = 500 });
        Assert.Single(queue.Incidents, i => i.Title == request.Title);
    }

    [Fact]
    public async Task AnEmptyReportNamesEveryMissingField()
    {
        var fields = await RpcAssert.InvalidFields(() => server.Reporting().SubmitIncidentAsync(new SubmitIncidentRequest()).ResponseAsync);

        Assert.Equal(["description", "reporter_stakeholder_id", "request_id", "title"], fields.Order());
    }

    [Fact]
    public async Task AnOversizedTitleIsRefusedNotTruncated()
    {
        var request = Reports.Valid();
        request.Title = new string('x', 201);

        var ex = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => server.Reporting().SubmitIncidentAsync(request).ResponseAsync);

        Assert.Contains("title", ex.Status.Detail);
        Assert.Contains("200", ex.Status.Detail);
    }

    [Fact]
    public async Task BadObservablesAreNamedByIndex()
    {
        var request = Reports.Valid();
        request.Observables.Add(new Observable { Type = ObservableType.IpAddress, Value = "999.1.1.1" });
        request.Observables.Add(new Observable { Type = ObservableType.FileHash, Value = "not-a-hash" });

        var fields = await RpcAssert.InvalidFields(() => server.Reporting().SubmitIncidentAsync(request).ResponseAsync);

        Assert.Equal(["observables[1].value", "observables[2].value"], fields);
    }

    [Fact]
    public async Task UnknownEnumValuesAndRsitTypesAreRefusedByField()
    {
        var badLabel = Reports.Valid();
        badLabel.Tlp = (Tlp)99;
        var badType = Reports.Valid();
        badType.RsitClass = "malicious-code";
        badType.RsitType = "phishing";

        // The label's shape is the service's to check; the taxonomy is the reporting rule's (in the grain), so each is refused on its own.
        var labelFields = await RpcAssert.InvalidFields(() => server.Reporting().SubmitIncidentAsync(badLabel).ResponseAsync);
        var typeFields = await RpcAssert.InvalidFields(() => server.Reporting().SubmitIncidentAsync(badType).ResponseAsync);

        Assert.Equal(["tlp"], labelFields);
        Assert.Equal(["rsit_type"], typeFields);
    }

    [Fact]
    public async Task AwarenessInTheFutureIsRefused()
    {
        var request = Reports.Valid();
        request.AwareAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1));

        var fields = await RpcAssert.InvalidFields(() => server.Reporting().SubmitIncidentAsync(request).ResponseAsync);

        Assert.Equal(["aware_at"], fields);
    }

    [Fact]
    public async Task AnUnknownReporterIsNotFound()
    {
        var ex = await RpcAssert.FailsWith(StatusCode.NotFound,
            () => server.Reporting(server.AnalystKey).SubmitIncidentAsync(Reports.Valid("no-such-org")).ResponseAsync);

        Assert.Contains("no-such-org", ex.Status.Detail);
    }
}
