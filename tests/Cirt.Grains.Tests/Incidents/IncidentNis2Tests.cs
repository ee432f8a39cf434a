using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>NIS2 Article 23 reports against an incident: who may send them, in which order, and what they record.</summary>
public sealed class IncidentNis2Tests
{
    private static Incident Significant() => Reported(significant: true);

    private static Incident Submit(Incident incident, DeadlineKind stage, DateTimeOffset at, string requestId = "", Cirt.Grains.Security.Principal? caller = null) =>
        IncidentNis2.Submit(incident, new Nis2ReportSubmission(requestId.Length > 0 ? requestId : Guid.NewGuid().ToString("N"), stage, "assessment"),
            caller ?? Callers.Operator("gridco"), at);

    private static Deadline Of(Incident incident, DeadlineKind kind) => incident.Deadlines.Single(d => d.Kind == kind);

    [Fact]
    public void ANotificationOnTimeMeetsItsDeadlineAndStartsTheFinalReportsMonth()
    {
        var at = ReportedAt.AddHours(30);

        var notified = Submit(Significant(), DeadlineKind.Nis2Notification, at);

        Assert.Equal(at, Of(notified, DeadlineKind.Nis2Notification).MetAt);
        Assert.Equal(at.AddMonths(1), Of(notified, DeadlineKind.Nis2FinalReport).DueAt);
        var report = Assert.Single(notified.Nis2Reports);
        Assert.Equal((DeadlineKind.Nis2Notification, "soc@gridco", at), (report.Stage, report.SubmittedBy, report.ReceivedAt));
        Assert.Equal(("nis2-report",
                $"NIS2 incident notification received, on time (due {Words.Time(ReportedAt.AddHours(72))}); final report now due {Words.Time(at.AddMonths(1))}: assessment"),
            (notified.Timeline[^1].Kind, notified.Timeline[^1].Summary));
    }

    [Fact]
    public void ALateNotificationIsRecordedAsLate()
    {
        var notified = Submit(Significant(), DeadlineKind.Nis2Notification, ReportedAt.AddHours(80));

        Assert.StartsWith($"NIS2 incident notification received, late (due {Words.Time(ReportedAt.AddHours(72))})", notified.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondReportOfAStageIsAnUpdateThatMovesNoDeadline()
    {
        var notified = Submit(Significant(), DeadlineKind.Nis2Notification, ReportedAt.AddHours(30));

        var updated = Submit(notified, DeadlineKind.Nis2Notification, ReportedAt.AddHours(50));

        Assert.Equal(notified.Deadlines, updated.Deadlines);
        Assert.Equal(2, updated.Nis2Reports.Length);
        Assert.StartsWith("Update to the incident notification received", updated.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFinalReportFollowsTheNotification()
    {
        var refused = Assert.Throws<CirtException>(() => Submit(Significant(), DeadlineKind.Nis2FinalReport, ReportedAt.AddDays(3)));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "stage"), (refused.Kind, refused.Field));
        Assert.Contains("submit the notification first", refused.Message, StringComparison.Ordinal);
        var notified = Submit(Significant(), DeadlineKind.Nis2Notification, ReportedAt.AddDays(2));
        Assert.Equal(ReportedAt.AddDays(20), Of(Submit(notified, DeadlineKind.Nis2FinalReport, ReportedAt.AddDays(20)), DeadlineKind.Nis2FinalReport).MetAt);
    }

    // NIS2 Art. 23(4)(e): the progress report, like the final report it may stand for, follows the notification.
    [Fact]
    public void TheProgressReportFollowsTheNotification()
    {
        var refused = Assert.Throws<CirtException>(() => Submit(Significant(), DeadlineKind.Nis2ProgressReport, ReportedAt.AddDays(3)));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "stage"), (refused.Kind, refused.Field));
        Assert.Equal($"The progress report of {TrackingId} follows the incident notification, which has not been received yet: submit the notification first.", refused.Message);
    }

    // NIS2 Art. 23(4)(c): the CIRT requests an intermediate report, due when it says, and the reporter's report meets it.
    [Fact]
    public void AnIntermediateReportTheCirtRequestedIsDueWhenItSaidAndMetByTheReport()
    {
        var requestedAt = ReportedAt.AddDays(2);
        var dueAt = requestedAt.AddHours(48);

        var requested = IncidentNis2.RequestIntermediateReport(Significant(), dueAt, "Has it spread to the second control centre?", "ana", requestedAt);
        var answered = Submit(requested, DeadlineKind.Nis2IntermediateReport, requestedAt.AddHours(20));

        var deadline = requested.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2IntermediateReport);
        Assert.Equal((dueAt, (DateTimeOffset?)null), (deadline.DueAt, deadline.MetAt));
        Assert.Equal((2L, requestedAt), (requested.Version, requested.UpdatedAt));
        Assert.Equal(("nis2-intermediate-requested", "ana", $"NIS2 intermediate report requested, due {Words.Time(dueAt)}: Has it spread to the second control centre?"),
            (requested.Timeline[^1].Kind, requested.Timeline[^1].Actor, requested.Timeline[^1].Summary));
        Assert.Equal(requestedAt.AddHours(20), Of(answered, DeadlineKind.Nis2IntermediateReport).MetAt);
        Assert.Equal($"NIS2 intermediate report received, on time (due {Words.Time(dueAt)}): assessment", answered.Timeline[^1].Summary);
    }

    // NIS2 Art. 23(4)(c) speaks of reports upon request; one sent unasked is kept, with no deadline to meet.
    [Fact]
    public void AnIntermediateReportNobodyRequestedIsKeptWithoutADeadline()
    {
        var incident = Significant();

        var received = Submit(incident, DeadlineKind.Nis2IntermediateReport, ReportedAt.AddDays(1));

        Assert.Equal(incident.Deadlines, received.Deadlines);
        Assert.Equal(DeadlineKind.Nis2IntermediateReport, Assert.Single(received.Nis2Reports).Stage);
        Assert.Equal("NIS2 intermediate report received (none was requested): assessment", received.Timeline[^1].Summary);
    }

    [Fact]
    public void AnIntermediateReportIsRequestedOnlyOfAnIncidentWithNis2ObligationsStillRunning()
    {
        var rejected = IncidentTriage.Triage(Significant(), Reject, 0, Rsit, "ana", TriagedAt);
        var at = TriagedAt.AddHours(1);

        var ordinary = Assert.Throws<CirtException>(() => IncidentNis2.RequestIntermediateReport(Reported(), at.AddDays(1), "status?", "ana", at));
        var ended = Assert.Throws<CirtException>(() => IncidentNis2.RequestIntermediateReport(rejected, at.AddDays(1), "status?", "ana", at));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "tracking_id"), (ordinary.Kind, ordinary.Field));
        Assert.Contains("has no NIS2 reporting obligations", ordinary.Message, StringComparison.Ordinal);
        Assert.Equal((CirtErrorKind.FailedPrecondition, "tracking_id"), (ended.Kind, ended.Field));
        Assert.Equal($"Incident {TrackingId} is rejected: no more NIS2 reports are requested on it.", ended.Message);
    }

    [Fact]
    public void ReportsAreIdempotentByRequestId()
    {
        var notified = Submit(Significant(), DeadlineKind.Nis2Notification, ReportedAt.AddHours(30), "req-1");

        Assert.Same(notified, Submit(notified, DeadlineKind.Nis2Notification, ReportedAt.AddHours(31), "req-1"));
        var reused = Assert.Throws<CirtException>(() => Submit(notified, DeadlineKind.Nis2FinalReport, ReportedAt.AddHours(31), "req-1"));
        Assert.Equal((CirtErrorKind.AlreadyExists, "request_id"), (reused.Kind, reused.Field));
        Assert.Contains("already used for the incident notification", reused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentWithoutNis2ObligationsTakesNoNis2Report()
    {
        var refused = Assert.Throws<CirtException>(() => Submit(Reported(), DeadlineKind.Nis2Notification, ReportedAt.AddHours(2)));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "tracking_id"), (refused.Kind, refused.Field));
        Assert.Contains("no NIS2 reporting obligations", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARejectedIncidentsObligationsEnded()
    {
        var rejected = IncidentTriage.Triage(Significant(), Reject, 0, Rsit, "ana", TriagedAt);

        var refused = Assert.Throws<CirtException>(() => Submit(rejected, DeadlineKind.Nis2Notification, TriagedAt.AddHours(1)));

        Assert.Contains("is rejected: its NIS2 reporting obligations ended", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheReportingOrganisationOrTheCirtSubmitsNis2Reports()
    {
        var affecting = Reported(significant: true, "aquaworks");

        var refused = Assert.Throws<CirtException>(() => Submit(affecting, DeadlineKind.Nis2Notification, ReportedAt.AddHours(2), caller: Callers.Operator("aquaworks")));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.Equal($"NIS2 reports for {TrackingId} come from the organisation that reported it (gridco).", refused.Message);
        Assert.Equal("ana", Submit(affecting, DeadlineKind.Nis2Notification, ReportedAt.AddHours(2), caller: Callers.Analyst).Nis2Reports[0].SubmittedBy);
    }

    [Fact]
    public void AnIncidentTakesAtMostTheNis2ReportLimit()
    {
        var incident = Significant();
        for (var i = 0; i < Limits.Nis2ReportsPerIncident; i++)
        {
            incident = Submit(incident, DeadlineKind.Nis2EarlyWarning, ReportedAt.AddMinutes(i + 1));
        }

        var refused = Assert.Throws<CirtException>(() => Submit(incident, DeadlineKind.Nis2Notification, ReportedAt.AddHours(3)));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains($"limit of {Limits.Nis2ReportsPerIncident} NIS2 reports", refused.Message, StringComparison.Ordinal);
    }
}
