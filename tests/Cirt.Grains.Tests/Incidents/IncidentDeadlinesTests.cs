using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentDeadlinesTests
{
    [Fact]
    public void NothingIsEscalatedBeforeItIsDue()
    {
        var incident = Reported(significant: true);

        var (next, escalated) = IncidentDeadlines.Escalate(incident, ReportedAt.AddHours(1));

        Assert.Same(incident, next);
        Assert.Empty(escalated);
    }

    [Fact]
    public void EachOverdueDeadlineIsEscalatedOnceWithAnEntry()
    {
        var incident = Reported(significant: true);
        var now = ReportedAt.AddHours(75);

        var (next, escalated) = IncidentDeadlines.Escalate(incident, now);

        Assert.Equal([DeadlineKind.Triage, DeadlineKind.Nis2Notification], escalated.Select(d => d.Kind));
        Assert.All(next.Deadlines.Where(d => escalated.Any(e => e.Kind == d.Kind)), d => Assert.Equal(now, d.EscalatedAt));
        Assert.Equal(incident.Version + 2, next.Version);
        Assert.Equal(
            [
                $"Triage SLA breached (triage SLA: 24 h for medium; due {Words.Time(ReportedAt.AddHours(24))}, 51 h ago): escalated to the coordinators",
                $"NIS2 incident notification overdue (due {Words.Time(ReportedAt.AddHours(72))}, 3 h ago): escalated to the coordinators",
            ],
            next.Timeline.Where(e => e.Kind == "escalated").Select(e => e.Summary));
        Assert.All(next.Timeline.Skip(1), e => Assert.Equal("system:deadlines", e.Actor));
        Assert.Same(next, IncidentDeadlines.Escalate(next, now.AddHours(5)).Next);
    }

    // NIS2 Art. 23(4)(e): still being handled when the final report falls due, the incident owes a progress report at that time.
    [Fact]
    public void AFinalReportFallingDueWhileTheIncidentIsBeingHandledGivesWayToAProgressReportThatIsEscalated()
    {
        var notifiedAt = ReportedAt.AddHours(30);
        var notified = IncidentNis2.Submit(
            IncidentTriage.Triage(Reported(significant: true), Accept, 0, Rsit, "ana", TriagedAt),
            new Nis2ReportSubmission("notification-1", DeadlineKind.Nis2Notification, "notification"), Callers.Operator("gridco"), notifiedAt);
        var finalDue = notifiedAt.AddMonths(1);
        var now = finalDue.AddHours(2);

        var (next, escalated) = IncidentDeadlines.Escalate(notified, now);

        Assert.Equal([DeadlineKind.Nis2ProgressReport], escalated.Select(d => d.Kind));
        var progress = next.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2ProgressReport);
        Assert.Equal((finalDue, (DateTimeOffset?)now), (progress.DueAt, progress.EscalatedAt));
        Assert.DoesNotContain(next.Deadlines, d => d.Kind == DeadlineKind.Nis2FinalReport);
        Assert.Equal(notified.Version + 2, next.Version);
        Assert.Equal(
            [
                ("nis2-progress-due", $"NIS2: still being handled when the final report fell due ({Words.Time(finalDue)}): a progress report is due at that time instead "
                                      + "(Art. 23(4)(e)), not received yet; the final report is due one month after the incident is resolved"),
                ("escalated", $"NIS2 progress report overdue (due {Words.Time(finalDue)}, 2 h ago): escalated to the coordinators"),
            ],
            next.Timeline.Skip(notified.Timeline.Length).Select(e => (e.Kind, e.Summary)));
        Assert.False(IncidentDeadlines.NeedWatching(next));
        Assert.Same(next, IncidentDeadlines.Escalate(next, now.AddDays(1)).Next);
    }

    // NIS2 Art. 23(4)(d): handled when the final report falls due, the incident owes the final report itself.
    [Fact]
    public void AFinalReportFallingDueAfterTheIncidentWasResolvedIsEscalatedAsTheFinalReport()
    {
        var notifiedAt = ReportedAt.AddHours(30);
        var notified = IncidentNis2.Submit(
            IncidentTriage.Triage(Reported(significant: true), Accept, 0, Rsit, "ana", TriagedAt),
            new Nis2ReportSubmission("notification-1", DeadlineKind.Nis2Notification, "notification"), Callers.Operator("gridco"), notifiedAt);
        var resolved = IncidentWork.Transition(notified, IncidentStatus.Resolved, "", 0, false, Callers.Analyst, notifiedAt.AddDays(3));

        var (next, escalated) = IncidentDeadlines.Escalate(resolved, notifiedAt.AddMonths(1).AddHours(1));

        Assert.Equal([DeadlineKind.Nis2FinalReport], escalated.Select(d => d.Kind));
        Assert.DoesNotContain(next.Deadlines, d => d.Kind == DeadlineKind.Nis2ProgressReport);
        Assert.DoesNotContain(next.Timeline, e => e.Kind == "nis2-progress-due");
        Assert.EndsWith(Nis2FinalReportRule.HandledWhenDue, next.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2FinalReport).Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void ARejectedIncidentIsNeitherEscalatedNorWatched()
    {
        var rejected = IncidentTriage.Triage(Reported(significant: true), Reject, 0, Rsit, "ana", TriagedAt);

        Assert.Same(rejected, IncidentDeadlines.Escalate(rejected, ReportedAt.AddDays(40)).Next);
        Assert.False(IncidentDeadlines.NeedWatching(rejected));
    }

    [Fact]
    public void AnIncidentIsWatchedWhileADeadlineIsNeitherMetNorEscalated()
    {
        var triaged = Triaged();
        var significant = Reported(significant: true);

        Assert.False(IncidentDeadlines.NeedWatching(triaged));
        Assert.True(IncidentDeadlines.NeedWatching(Reported()));
        Assert.True(IncidentDeadlines.NeedWatching(significant));
        Assert.False(IncidentDeadlines.NeedWatching(IncidentDeadlines.Escalate(significant, ReportedAt.AddDays(40)).Next));
    }
}
