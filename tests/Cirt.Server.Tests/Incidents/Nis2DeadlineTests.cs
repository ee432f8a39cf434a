using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// NIS2 reporting clocks over gRPC on a server whose business clock the test moves: 24 h, 72 h and
/// one month are checked without waiting, also across a restart. Deadlines are checked every second.
/// </summary>
public sealed class Nis2DeadlineTests : DeadlineClockTests
{
    [Fact]
    public async Task AMissedNotificationEscalatesShowsInTheCountryWideListAndALateOneIsRecordedAsSuch()
    {
        var reported = await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true));
        var id = reported.TrackingId;
        await TriageAsync(id);
        Assert.Equal(DeadlineStatus.Met, Deadline(reported.Incident, DeadlineKind.Nis2EarlyWarning).Status);
        Assert.Equal(Start.AddHours(72), Deadline(reported.Incident, DeadlineKind.Nis2Notification).DueAt.ToDateTimeOffset());

        Clock.Advance(TimeSpan.FromHours(71));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var beforeDue = await GetAsync(id);
        Assert.Equal(DeadlineStatus.Pending, Deadline(beforeDue, DeadlineKind.Nis2Notification).Status);
        Assert.Null(Deadline(beforeDue, DeadlineKind.Nis2Notification).EscalatedAt);

        Clock.Advance(TimeSpan.FromHours(2));
        var escalated = await EscalatedAsync(id, DeadlineKind.Nis2Notification);
        Assert.Equal(DeadlineStatus.Overdue, Deadline(escalated, DeadlineKind.Nis2Notification).Status);
        var entry = Assert.Single(escalated.Timeline, e => e.Kind == "escalated");
        Assert.Equal("system:deadlines", entry.Actor);
        Assert.Contains("notification overdue", entry.Summary);

        var overdue = await Server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Overdue, PageSize = 500 });
        var row = Assert.Single(overdue.Deadlines, d => d.Incident.TrackingId == id);
        Assert.Equal(DeadlineKind.Nis2Notification, row.Deadline.Kind);
        Assert.Equal((overdue.Deadlines.Count, false), (overdue.TotalSize, overdue.TotalIsLowerBound));
        Assert.NotNull(row.Deadline.EscalatedAt);

        // The operator sends the notification late: met late, and the final report's month starts now.
        var notified = await Server.Reporting().SubmitNis2ReportAsync(new SubmitNis2ReportRequest
        {
            RequestId = "notification-1", TrackingId = id, Stage = DeadlineKind.Nis2Notification,
            Summary = "Initial assessment: ransomware on two HMIs, contained; no outage.",
        });
        Assert.Equal(DeadlineStatus.MetLate, notified.Deadline.Status);
        var finalReport = Deadline(notified.Incident, DeadlineKind.Nis2FinalReport);
        Assert.Equal(Start.AddHours(73).AddMonths(1), finalReport.DueAt.ToDateTimeOffset());
        Assert.Equal(DeadlineStatus.Pending, finalReport.Status);
        Assert.Contains(notified.Incident.Timeline, e => e.Kind == "nis2-report" && e.Summary.Contains("late", StringComparison.Ordinal));

        var open = await Server.Incidents(Server.GridcoKey).ListDeadlinesAsync(new ListDeadlinesRequest());
        Assert.Equal([DeadlineKind.Nis2FinalReport], open.Deadlines.Where(d => d.Incident.TrackingId == id).Select(d => d.Deadline.Kind));
        Assert.DoesNotContain((await Server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Overdue })).Deadlines,
            d => d.Incident.TrackingId == id);

        // One month on, the incident is still being handled (triaged, not resolved): the progress report
        // that stands in for the final report is overdue in turn (NIS2 Art. 23(4)(e)).
        Clock.Advance(TimeSpan.FromDays(31));
        var late = await EscalatedAsync(id, DeadlineKind.Nis2ProgressReport);
        Assert.Equal(2, late.Timeline.Count(e => e.Kind == "escalated"));
    }

    [Fact]
    public async Task AnOverdueStageEscalatesAfterARestart()
    {
        var id = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;

        await Server.StopAsync();
        Clock.Advance(TimeSpan.FromHours(73));
        await Server.StartAsync();

        // Nobody triaged it either: both the notification and the triage SLA escalate, once each.
        await EscalatedAsync(id, DeadlineKind.Nis2Notification);
        var escalated = await EscalatedAsync(id, DeadlineKind.Triage);
        Assert.Equal(2, escalated.Timeline.Count(e => e.Kind == "escalated"));
        Assert.Contains(escalated.Timeline, e => e.Kind == "escalated" && e.Summary.StartsWith("Triage SLA breached (triage SLA: 24 h for no severity given", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotificationAndFinalReportOnTimeMeetTheirDeadlinesAndAResendStoresNothingTwice()
    {
        var id = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        await TriageAsync(id);
        Clock.Advance(TimeSpan.FromHours(30));
        var notification = new SubmitNis2ReportRequest
        {
            RequestId = "n-1", TrackingId = id, Stage = DeadlineKind.Nis2Notification, Summary = "Assessment: contained; IoCs attached.",
        };
        var first = await Server.Reporting().SubmitNis2ReportAsync(notification);
        var again = await Server.Reporting().SubmitNis2ReportAsync(notification);
        Assert.Equal(DeadlineStatus.Met, first.Deadline.Status);
        Assert.Single(again.Incident.Nis2Reports);
        Assert.Equal(first.Incident.Version, again.Incident.Version);
        Assert.Equal(Start.AddHours(30).AddMonths(1), Deadline(first.Incident, DeadlineKind.Nis2FinalReport).DueAt.ToDateTimeOffset());

        Clock.Advance(TimeSpan.FromDays(20));
        var final = await Server.Reporting().SubmitNis2ReportAsync(new SubmitNis2ReportRequest
        {
            RequestId = "f-1", TrackingId = id, Stage = DeadlineKind.Nis2FinalReport, Summary = "Root cause: exposed VPN without MFA; fixed.",
        });
        Assert.Equal(DeadlineStatus.Met, final.Deadline.Status);
        Assert.All(final.Incident.Deadlines, d => Assert.Equal(DeadlineStatus.Met, d.Status));

        Clock.Advance(TimeSpan.FromDays(60));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.DoesNotContain((await GetAsync(id)).Timeline, e => e.Kind == "escalated");
        Assert.DoesNotContain((await Server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest())).Deadlines, d => d.Incident.TrackingId == id);
    }

    [Fact]
    public async Task BadNis2ReportsAreRefusedWithTheRightStatus()
    {
        var significant = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        var ordinary = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var firstbanks = (await Server.Reporting(Server.AnalystKey).SubmitIncidentAsync(Reports.Valid("firstbank", significant: true))).TrackingId;
        SubmitNis2ReportRequest Report(string id, DeadlineKind stage) => new()
        {
            RequestId = Guid.NewGuid().ToString("N"), TrackingId = id, Stage = stage, Summary = "Assessment.",
        };

        var invalid = await RpcAssert.InvalidFields(() => Server.Reporting().SubmitNis2ReportAsync(new SubmitNis2ReportRequest { TrackingId = significant }).ResponseAsync);
        Assert.Equal(["request_id", "stage", "summary"], invalid.Order());

        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Server.Reporting().SubmitNis2ReportAsync(Report(ordinary, DeadlineKind.Nis2Notification)).ResponseAsync);
        var finalFirst = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => Server.Reporting().SubmitNis2ReportAsync(Report(significant, DeadlineKind.Nis2FinalReport)).ResponseAsync);
        Assert.Contains("notification first", finalFirst.Status.Detail);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Server.Reporting().SubmitNis2ReportAsync(Report(firstbanks, DeadlineKind.Nis2Notification)).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound,
            () => Server.Reporting(Server.AnalystKey).SubmitNis2ReportAsync(Report("CIRT-2026-999999", DeadlineKind.Nis2Notification)).ResponseAsync);

        // The CIRT may record a report received another way (e-mail, phone) on the operator's behalf.
        var onBehalf = await Server.Reporting(Server.AnalystKey).SubmitNis2ReportAsync(Report(firstbanks, DeadlineKind.Nis2Notification));
        Assert.Equal("alice", onBehalf.Incident.Nis2Reports.Single().SubmittedBy);
    }

    [Fact]
    public async Task ARejectedReportStopsEscalatingAndItsDeadlinesRunAgainOnceReopened()
    {
        var id = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        await Server.Incidents().TriageIncidentAsync(new TriageIncidentRequest { TrackingId = id, Outcome = TriageOutcome.Reject, Reason = "not an incident" });

        Clock.Advance(TimeSpan.FromHours(73));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.DoesNotContain((await GetAsync(id)).Timeline, e => e.Kind == "escalated");

        await Server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Reported, Reason = "it was one after all" });
        var escalated = await EscalatedAsync(id, DeadlineKind.Nis2Notification);
        Assert.Single(escalated.Timeline, e => e.Kind == "escalated");
    }

    [Fact]
    public async Task ACriticalReportNotTriagedWithinAnHourBreachesItsSlaAndATriagedOneDoesNot()
    {
        var late = Reports.Valid("gridco");
        late.Severity = Severity.Critical;
        var onTime = Reports.Valid("gridco");
        onTime.Severity = Severity.Critical;
        var lateId = (await Server.Reporting().SubmitIncidentAsync(late)).TrackingId;
        var onTimeId = (await Server.Reporting().SubmitIncidentAsync(onTime)).TrackingId;
        Assert.Equal(Start.AddHours(1), Deadline(await GetAsync(lateId), DeadlineKind.Triage).DueAt.ToDateTimeOffset());

        Clock.Advance(TimeSpan.FromMinutes(50));
        await TriageAsync(onTimeId);
        Clock.Advance(TimeSpan.FromMinutes(15));

        var breached = await EscalatedAsync(lateId, DeadlineKind.Triage);
        Assert.Equal(DeadlineStatus.Overdue, Deadline(breached, DeadlineKind.Triage).Status);
        var overdue = await Server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Overdue });
        Assert.Contains(overdue.Deadlines, d => d.Incident.TrackingId == lateId && d.Deadline.Kind == DeadlineKind.Triage);
        Assert.DoesNotContain(overdue.Deadlines, d => d.Incident.TrackingId == onTimeId);
        var triaged = await GetAsync(onTimeId);
        Assert.Equal(DeadlineStatus.Met, Deadline(triaged, DeadlineKind.Triage).Status);
        Assert.DoesNotContain(triaged.Timeline, e => e.Kind == "escalated");

        // Triaged late: the breach stays on record, the deadline shows met late.
        await TriageAsync(lateId);
        Assert.Equal(DeadlineStatus.MetLate, Deadline(await GetAsync(lateId), DeadlineKind.Triage).Status);
    }

    private Task TriageAsync(string id) =>
        Server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        }).ResponseAsync;
}
