using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.Nis2Incidents;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// NIS2 Art. 23(4)(d) and (e): the final report one month after the notification; if the incident
/// is still being handled then, a progress report at that time and the final report one month
/// after the handling. F is the final report's due time (4 April 10:00 UTC).
/// </summary>
public sealed class Nis2FinalReportRuleTests
{
    private static readonly DateTimeOffset AfterF = FinalReportDue.AddMinutes(1);

    private static bool Has(Deadline[] deadlines, DeadlineKind kind) => deadlines.Any(d => d.Kind == kind);

    /// <summary>The deadlines after F passed with the incident still being handled.</summary>
    private static Deadline[] Split() => Nis2Clock.Check(In(IncidentStatus.Responding, Notified()), AfterF).Deadlines;

    [Theory]
    [InlineData(IncidentStatus.Resolved, true)]
    [InlineData(IncidentStatus.Closed, true)]
    [InlineData(IncidentStatus.Reported, false)]
    [InlineData(IncidentStatus.Triaged, false)]
    [InlineData(IncidentStatus.Responding, false)]
    [InlineData(IncidentStatus.Recovering, false)]
    public void AnIncidentIsHandledOnceResolvedOrClosed(IncidentStatus status, bool handled)
    {
        Assert.Equal(handled, Nis2FinalReportRule.IsHandled(status));
    }

    // NIS2 Art. 23(4)(d): handled by then, the final report is due one month after the notification.
    [Fact]
    public void AnIncidentHandledWhenTheFinalReportFallsDueOwesTheFinalReportThen()
    {
        var check = Nis2Clock.Check(In(IncidentStatus.Resolved, Notified()), AfterF);

        Assert.False(Has(check.Deadlines, DeadlineKind.Nis2ProgressReport));
        var final = Of(check.Deadlines, DeadlineKind.Nis2FinalReport);
        Assert.Equal((FinalReportDue, DeadlineStatus.Overdue), (final.DueAt, final.StatusAt(AfterF)));
        Assert.Equal([DeadlineKind.Nis2FinalReport], check.Escalated.Select(d => d.Kind));
        Assert.Equal("", check.Note);
        Assert.EndsWith(Nis2FinalReportRule.HandledWhenDue, final.Basis, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(e): still being handled, a progress report is due at that time instead.
    [Fact]
    public void AnIncidentStillBeingHandledOwesAProgressReportThenAndItsFinalReportWaitsForTheHandling()
    {
        var check = Nis2Clock.Check(In(IncidentStatus.Responding, Notified()), AfterF);

        var progress = Of(check.Deadlines, DeadlineKind.Nis2ProgressReport);
        Assert.Equal((FinalReportDue, (DateTimeOffset?)null, DeadlineStatus.Overdue), (progress.DueAt, progress.MetAt, progress.StatusAt(AfterF)));
        Assert.Contains("Art. 23(4)(e)", progress.Basis, StringComparison.Ordinal);
        Assert.False(Has(check.Deadlines, DeadlineKind.Nis2FinalReport));
        // The progress report is overdue at once, so it escalates in the same look.
        Assert.Equal([DeadlineKind.Nis2ProgressReport], check.Escalated.Select(d => d.Kind));
        Assert.Equal(
            "NIS2: still being handled when the final report fell due (2026-04-04T10:00Z): a progress report is due at that time instead (Art. 23(4)(e)), not received yet; the final report is due one month after the incident is resolved",
            check.Note);
    }

    // NIS2 Art. 23(4)(e): nothing turns before the final report falls due (a deadline is pending at its due time).
    [Fact]
    public void NothingChangesUntilTheFinalReportsDueTimeHasPassed()
    {
        var check = Nis2Clock.Check(In(IncidentStatus.Responding, Notified()), FinalReportDue);

        Assert.False(check.Changed);
        Assert.Equal(Notified(), check.Deadlines);
    }

    // NIS2 Art. 23(4)(e): a progress report sent ahead of time counts as the one due then.
    [Fact]
    public void AProgressReportSentBeforeTheFinalReportFallsDueMeetsTheProgressReport()
    {
        var sentAt = FinalReportDue.AddDays(-2);
        var incident = In(IncidentStatus.Recovering, Notified(), Report(DeadlineKind.Nis2ProgressReport, sentAt));

        var check = Nis2Clock.Check(incident, AfterF);

        var progress = Of(check.Deadlines, DeadlineKind.Nis2ProgressReport);
        Assert.Equal((sentAt, DeadlineStatus.Met), (progress.MetAt, progress.StatusAt(AfterF)));
        Assert.Empty(check.Escalated);
        Assert.True(check.Changed);
        Assert.Contains("received 2026-04-02T10:00Z", check.Note, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(e): a progress report sent early, while the final report is still the one due, says what it will count for.
    [Fact]
    public void AProgressReportBeforeTheFinalReportFallsDueMeetsNothingYetAndSaysWhatItWillCountFor()
    {
        var received = Nis2Clock.Receive(In(IncidentStatus.Responding, Notified()), DeadlineKind.Nis2ProgressReport, FinalReportDue.AddDays(-2));

        Assert.Equal(Notified(), received.Deadlines);
        Assert.Equal(
            "NIS2 progress report received; it stands for the final report if the incident is still being handled when that falls due (2026-04-04T10:00Z)",
            received.Note);
    }

    // NIS2 Art. 23(4)(e): a late progress report, before the periodic check turned the obligation, still meets it (late).
    [Fact]
    public void AProgressReportAfterTheFinalReportFellDueMeetsTheProgressReportLate()
    {
        var at = FinalReportDue.AddHours(5);

        var received = Nis2Clock.Receive(In(IncidentStatus.Responding, Notified()), DeadlineKind.Nis2ProgressReport, at);

        var progress = Of(received.Deadlines, DeadlineKind.Nis2ProgressReport);
        Assert.Equal((at, DeadlineStatus.MetLate), (progress.MetAt, progress.StatusAt(at)));
        Assert.StartsWith("NIS2: still being handled when the final report fell due", received.Note, StringComparison.Ordinal);
        Assert.EndsWith("; NIS2 progress report received, late (due 2026-04-04T10:00Z)", received.Note, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(e): the final report is due within one month of the handling of the incident.
    [Fact]
    public void ResolvingTheIncidentMakesTheFinalReportDueOneMonthLater()
    {
        var resolvedAt = new DateTimeOffset(2026, 5, 31, 9, 0, 0, TimeSpan.Zero);

        var step = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Split()), IncidentStatus.Resolved, resolvedAt);

        var final = Of(step.Deadlines, DeadlineKind.Nis2FinalReport);
        Assert.Equal((new DateTimeOffset(2026, 6, 30, 9, 0, 0, TimeSpan.Zero), (DateTimeOffset?)null), (final.DueAt, final.MetAt));
        Assert.Contains("resolved 2026-05-31T09:00Z", final.Basis, StringComparison.Ordinal);
        Assert.Equal("NIS2 final report now due 2026-06-30T09:00Z, one month after the handling of the incident", step.Note);
        Assert.True(Has(step.Deadlines, DeadlineKind.Nis2ProgressReport));
    }

    // NIS2 Art. 23(4)(e): reopened, the handling is not over; the final report waits for the next resolution.
    [Fact]
    public void ReopeningBeforeTheFinalReportWithdrawsItsDueTimeUntilTheNextResolution()
    {
        var resolvedAt = FinalReportDue.AddDays(10);
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Split()), IncidentStatus.Resolved, resolvedAt).Deadlines;

        var reopened = Nis2Clock.OnStatusChanged(In(IncidentStatus.Resolved, resolved), IncidentStatus.Responding, resolvedAt.AddDays(3));
        var resolvedAgain = Nis2Clock.OnStatusChanged(In(IncidentStatus.Responding, reopened.Deadlines), IncidentStatus.Resolved, resolvedAt.AddDays(20));

        Assert.False(Has(reopened.Deadlines, DeadlineKind.Nis2FinalReport));
        Assert.Equal("NIS2 final report no longer due 2026-05-14T10:00Z: the incident is being handled again; it is due one month after it is resolved", reopened.Note);
        Assert.Equal(resolvedAt.AddDays(20).AddMonths(1), Of(resolvedAgain.Deadlines, DeadlineKind.Nis2FinalReport).DueAt);
    }

    // NIS2 Art. 23(4)(d): handled at F decides; a reopening after F does not turn a final report already due into a progress report.
    [Fact]
    public void ReopeningAfterTheFinalReportFellDueWhileHandledKeepsTheFinalReportDueThen()
    {
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Notified()), IncidentStatus.Resolved, FinalReportDue.AddDays(-3));

        var reopened = Nis2Clock.OnStatusChanged(In(IncidentStatus.Resolved, resolved.Deadlines), IncidentStatus.Responding, FinalReportDue.AddDays(2));
        var later = Nis2Clock.Check(In(IncidentStatus.Responding, reopened.Deadlines), FinalReportDue.AddDays(3));

        Assert.Equal("", resolved.Note);
        Assert.Equal("", reopened.Note);
        Assert.Equal(FinalReportDue, Of(later.Deadlines, DeadlineKind.Nis2FinalReport).DueAt);
        Assert.False(Has(later.Deadlines, DeadlineKind.Nis2ProgressReport));
        Assert.Equal([DeadlineKind.Nis2FinalReport], later.Escalated.Select(d => d.Kind));
    }

    // NIS2 Art. 23(4)(e): a status change after F, the periodic check not having run, decides with the status held at F.
    [Fact]
    public void AResolutionAfterTheFinalReportFellDueFirstRecordsTheProgressReportThatWasDue()
    {
        var resolvedAt = FinalReportDue.AddHours(2);

        var step = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Notified()), IncidentStatus.Resolved, resolvedAt);

        Assert.Equal(FinalReportDue, Of(step.Deadlines, DeadlineKind.Nis2ProgressReport).DueAt);
        Assert.Equal(resolvedAt.AddMonths(1), Of(step.Deadlines, DeadlineKind.Nis2FinalReport).DueAt);
        Assert.StartsWith("NIS2: still being handled when the final report fell due", step.Note, StringComparison.Ordinal);
        Assert.EndsWith("; NIS2 final report now due 2026-05-04T12:00Z, one month after the handling of the incident", step.Note, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(d): resolved exactly when the final report falls due counts as handled then.
    [Fact]
    public void AnIncidentResolvedExactlyAtTheFinalReportsDueTimeWasHandledThen()
    {
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Notified()), IncidentStatus.Resolved, FinalReportDue);

        var check = Nis2Clock.Check(In(IncidentStatus.Resolved, resolved.Deadlines), AfterF);

        Assert.False(Has(check.Deadlines, DeadlineKind.Nis2ProgressReport));
        Assert.Equal(FinalReportDue, Of(check.Deadlines, DeadlineKind.Nis2FinalReport).DueAt);
    }

    // NIS2 Art. 23(4)(e): resolved before F and reopened before F is still being handled at F.
    [Fact]
    public void AnIncidentReopenedBeforeTheFinalReportFallsDueIsStillBeingHandledThen()
    {
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Notified()), IncidentStatus.Resolved, FinalReportDue.AddDays(-10));
        var reopened = Nis2Clock.OnStatusChanged(In(IncidentStatus.Resolved, resolved.Deadlines), IncidentStatus.Responding, FinalReportDue.AddDays(-5));

        var check = Nis2Clock.Check(In(IncidentStatus.Responding, reopened.Deadlines), AfterF);

        Assert.Equal(FinalReportDue, Of(check.Deadlines, DeadlineKind.Nis2ProgressReport).DueAt);
        Assert.False(Has(check.Deadlines, DeadlineKind.Nis2FinalReport));
    }

    [Fact]
    public void ClosingAResolvedIncidentChangesNoDeadline()
    {
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Split()), IncidentStatus.Resolved, FinalReportDue.AddDays(4)).Deadlines;

        var closed = Nis2Clock.OnStatusChanged(In(IncidentStatus.Resolved, resolved), IncidentStatus.Closed, FinalReportDue.AddDays(6));

        Assert.Equal((resolved, ""), (closed.Deadlines, closed.Note));
    }

    // NIS2 Art. 23(4)(d): a final report received before F ends the reporting, whatever the CIRT's status.
    [Fact]
    public void AFinalReportBeforeItFallsDueEndsTheReportingEvenIfTheIncidentIsNotResolved()
    {
        var received = Nis2Clock.Receive(In(IncidentStatus.Responding, Notified()), DeadlineKind.Nis2FinalReport, FinalReportDue.AddDays(-1));

        var check = Nis2Clock.Check(In(IncidentStatus.Responding, received.Deadlines), AfterF.AddDays(40));

        Assert.False(check.Changed);
        Assert.Equal(DeadlineStatus.Met, Of(check.Deadlines, DeadlineKind.Nis2FinalReport).StatusAt(AfterF));
        Assert.Equal("NIS2 final report received, on time (due 2026-04-04T10:00Z)", received.Note);
    }

    // NIS2 Art. 23(4)(e): the entity may finish its handling before the CIRT resolves the incident: its final report is taken as it comes.
    [Fact]
    public void AFinalReportWhileStillBeingHandledEndsTheReportingAndResolvingLaterAddsNothing()
    {
        var at = FinalReportDue.AddDays(12);

        var received = Nis2Clock.Receive(In(IncidentStatus.Responding, Split()), DeadlineKind.Nis2FinalReport, at);
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Responding, received.Deadlines), IncidentStatus.Resolved, at.AddDays(2));

        var final = Of(received.Deadlines, DeadlineKind.Nis2FinalReport);
        Assert.Equal((at, DeadlineStatus.Met), (final.MetAt!.Value, final.StatusAt(at)));
        Assert.Equal("NIS2 final report received before the incident was handled: the reporting is complete", received.Note);
        Assert.Equal((received.Deadlines, ""), (resolved.Deadlines, resolved.Note));
    }

    // NIS2 Art. 23(4)(e): the final report due after the handling is met like any other, and escalates when missed.
    [Fact]
    public void TheFinalReportDueAfterTheHandlingEscalatesWhenMissed()
    {
        var resolvedAt = FinalReportDue.AddDays(10);
        var resolved = Nis2Clock.OnStatusChanged(In(IncidentStatus.Recovering, Split()), IncidentStatus.Resolved, resolvedAt).Deadlines;

        var check = Nis2Clock.Check(In(IncidentStatus.Resolved, resolved), resolvedAt.AddMonths(1).AddMinutes(1));

        Assert.Equal([DeadlineKind.Nis2FinalReport], check.Escalated.Select(d => d.Kind));
    }

    // NIS2 Art. 23(4)(e): a notification over a month late does not undo the progress report already due.
    [Fact]
    public void ALateNotificationAfterTheProvisionalFinalReportFellDueLeavesTheProgressReportAsItIs()
    {
        var started = Nis2Clock.Start(AwareAt, ReportedAt);
        var provisional = Of(started, DeadlineKind.Nis2FinalReport).DueAt;
        var split = Nis2Clock.Check(In(IncidentStatus.Responding, started), provisional.AddHours(1)).Deadlines;

        var notified = Nis2Clock.OnNotificationReceived(split, provisional.AddHours(2));

        Assert.Equal(provisional.AddHours(2), Of(notified, DeadlineKind.Nis2Notification).MetAt);
        Assert.Equal(provisional, Of(notified, DeadlineKind.Nis2ProgressReport).DueAt);
        Assert.False(Has(notified, DeadlineKind.Nis2FinalReport));
    }

    [Fact]
    public void AnIncidentWithoutNis2ObligationsIsLeftAlone()
    {
        Deadline[] triage = [new Deadline(DeadlineKind.Triage, ReportedAt.AddHours(4), ReportedAt.AddHours(1), "triage SLA: 4 h for high")];

        var step = Nis2Clock.OnStatusChanged(In(IncidentStatus.Responding, triage), IncidentStatus.Resolved, AfterF);

        Assert.Equal((triage, ""), (step.Deadlines, step.Note));
    }
}
