using System.Text.RegularExpressions;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Incidents;

[Collection(CirtClusterCollection.Name)]
public sealed class SubmissionGrainTests(CirtClusterFixture cluster)
{
    [Fact]
    public async Task SubmissionOpensAReportedIncidentWithATrackingId()
    {
        var report = Reports.From("gridco");

        var incident = await cluster.SubmitAsync(report, Callers.Operator("gridco"));

        Assert.Matches(new Regex($"^CIRT-{DateTimeOffset.UtcNow.Year}-[0-9]{{6}}$"), incident.TrackingId);
        Assert.True(TrackingIds.IsValid(incident.TrackingId));
        Assert.Equal(IncidentStatus.Reported, incident.Status);
        Assert.Equal(report.Title, incident.Title);
        Assert.Equal(1, incident.Version);
        var reported = Assert.Single(incident.Timeline);
        Assert.Equal("reported", reported.Kind);
        Assert.Equal("soc@gridco", reported.Actor);
    }

    [Fact]
    public async Task IncidentTakesTheReporterSectorsWhenTheReportNamesNone()
    {
        var incident = await cluster.SubmitAsync(Reports.From("gridco"));

        Assert.Equal(["ENERGY"], incident.SectorCodes);
        Assert.Equal(["gridco"], incident.AffectedStakeholderIds);
    }

    [Fact]
    public async Task SubmittingTheSameReportAgainReturnsTheSameIncident()
    {
        var report = Reports.From("gridco");
        var first = await cluster.SubmitAsync(report);

        var retried = await cluster.SubmitAsync(report);

        Assert.Equal(first.TrackingId, retried.TrackingId);
        Assert.Equal(first.Version, retried.Version);
        var stored = await cluster.Grains.GetGrain<IIncidentGrain>(first.TrackingId).GetAsync();
        Assert.NotNull(stored);
        Assert.Single(stored.Timeline);
    }

    [Fact]
    public async Task ReportsWithDifferentRequestIdsOpenDifferentIncidents()
    {
        var first = await cluster.SubmitAsync(Reports.From("gridco"));
        var second = await cluster.SubmitAsync(Reports.From("gridco"));

        Assert.NotEqual(first.TrackingId, second.TrackingId);
    }

    [Fact]
    public async Task SubmissionFromAnUnknownReporterIsRefusedAsNotFound()
    {
        var report = Reports.From("no-such-operator-" + Guid.NewGuid().ToString("N")[..8]);

        var refused = await Assert.ThrowsAsync<CirtException>(() => cluster.SubmitAsync(report));

        Assert.Equal(CirtErrorKind.NotFound, refused.Kind);
        Assert.Equal("reporter_stakeholder_id", refused.Field);
        Assert.Contains(report.ReporterStakeholderId, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignificantReportOfAnEssentialEntityStartsTheNis2Deadlines()
    {
        var awareAt = DateTimeOffset.UtcNow.AddHours(-6);

        var incident = await cluster.SubmitAsync(Reports.From("gridco", significant: true, awareAt));

        Assert.Equal(awareAt, incident.AwareAt);
        Assert.Collection(incident.Deadlines,
            triage =>
            {
                Assert.Equal(DeadlineKind.Triage, triage.Kind);
                Assert.Equal(incident.ReportedAt.AddHours(24), triage.DueAt);
                Assert.Null(triage.MetAt);
            },
            earlyWarning =>
            {
                Assert.Equal(DeadlineKind.Nis2EarlyWarning, earlyWarning.Kind);
                Assert.Equal(awareAt.AddHours(24), earlyWarning.DueAt);
                Assert.Equal(incident.ReportedAt, earlyWarning.MetAt);
            },
            notification =>
            {
                Assert.Equal(DeadlineKind.Nis2Notification, notification.Kind);
                Assert.Equal(awareAt.AddHours(72), notification.DueAt);
                Assert.Null(notification.MetAt);
            },
            finalReport =>
            {
                Assert.Equal(DeadlineKind.Nis2FinalReport, finalReport.Kind);
                Assert.Equal(awareAt.AddHours(72).AddMonths(1), finalReport.DueAt);
            });
        Assert.Contains("reporting deadlines run", incident.Timeline[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignificantReportOfAnImportantEntityAlsoStartsTheNis2Deadlines()
    {
        var incident = await cluster.SubmitAsync(Reports.From("city-hospital", significant: true));

        Assert.Equal(
            [DeadlineKind.Triage, DeadlineKind.Nis2EarlyWarning, DeadlineKind.Nis2Notification, DeadlineKind.Nis2FinalReport],
            incident.Deadlines.Select(d => d.Kind));
    }

    [Theory]
    [InlineData("gridco", false)]
    [InlineData("partner-cert-nl", true)]
    [InlineData("partner-cert-nl", false)]
    public async Task NoNis2DeadlinesRunUnlessTheIncidentIsSignificantForAnEssentialOrImportantEntity(string reporter, bool significant)
    {
        var incident = await cluster.SubmitAsync(Reports.From(reporter, significant));

        Assert.Equal([DeadlineKind.Triage], incident.Deadlines.Select(d => d.Kind));
    }
}
