using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentWorkTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddDays(1);

    private static Incident Transition(Incident incident, IncidentStatus target, string reason = "", bool overrideRestoration = false, Cirt.Grains.Security.Principal? caller = null) =>
        IncidentWork.Transition(incident, target, reason, 0, overrideRestoration, caller ?? Callers.Analyst, Later);

    private static Incident Restored(Incident incident, string stakeholderId) =>
        IncidentRecovery.SetRestoration(incident, stakeholderId, true, "", Callers.Operator(stakeholderId), incident.UpdatedAt.AddMinutes(1));

    /// <summary>A significant incident of gridco's, triaged, notified 30 h after its report and being responded to; its final report falls due at <paramref name="finalDue"/>.</summary>
    private static Incident SignificantAndResponding(out DateTimeOffset finalDue)
    {
        var notifiedAt = ReportedAt.AddHours(30);
        var triaged = IncidentTriage.Triage(Reported(significant: true), Accept, 0, Rsit, "ana", TriagedAt);
        var notified = IncidentNis2.Submit(
            triaged, new Nis2ReportSubmission("notification-1", DeadlineKind.Nis2Notification, "notification"), Callers.Operator("gridco"), notifiedAt);
        finalDue = notifiedAt.AddMonths(1);
        return IncidentWork.Transition(notified, IncidentStatus.Responding, "", 0, false, Callers.Analyst, notifiedAt.AddHours(1));
    }

    [Fact]
    public void ATransitionSaysFromWhereToWhereByWhomAndWhy()
    {
        var responding = Transition(Triaged(), IncidentStatus.Responding, "containment started");

        Assert.Equal((IncidentStatus.Responding, 3L), (responding.Status, responding.Version));
        var entry = responding.Timeline[^1];
        Assert.Equal(("transitioned", "ana", "triaged → responding: containment started"), (entry.Kind, entry.Actor, entry.Summary));
    }

    [Fact]
    public void AnIllegalTransitionIsRefusedNamingTheLegalOnes()
    {
        var refused = Assert.Throws<CirtException>(() => Transition(Triaged(), IncidentStatus.Closed));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "target_status"), (refused.Kind, refused.Field));
        Assert.Contains("responding, resolved", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecoveringIncidentIsNotResolvedWhileAnAffectedStakeholderIsNotRestored()
    {
        var recovering = MovedTo(Restored(Triaged("aquaworks"), "gridco"), IncidentStatus.Responding, IncidentStatus.Recovering);

        var refused = Assert.Throws<CirtException>(() => Transition(recovering, IncidentStatus.Resolved));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "target_status"), (refused.Kind, refused.Field));
        Assert.Contains("not yet restored: aquaworks.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecoveringIncidentIsResolvedOnceEveryAffectedStakeholderIsRestored()
    {
        var recovering = MovedTo(Triaged("aquaworks"), IncidentStatus.Responding, IncidentStatus.Recovering);

        var resolved = Transition(Restored(Restored(recovering, "gridco"), "aquaworks"), IncidentStatus.Resolved, "all back");

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal("recovering → resolved: all back", resolved.Timeline[^1].Summary);
    }

    [Fact]
    public void ACoordinatorResolvesWithStakeholdersNotRestoredGivingAReasonTheTimelineKeeps()
    {
        var recovering = MovedTo(Triaged("aquaworks"), IncidentStatus.Responding, IncidentStatus.Recovering);

        var resolved = Transition(recovering, IncidentStatus.Resolved, "backup plant for weeks", overrideRestoration: true, Callers.Coordinator);

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal("recovering → resolved: backup plant for weeks (resolved with gridco, aquaworks not restored)", resolved.Timeline[^1].Summary);
    }

    [Fact]
    public void OverridingRestorationNeedsAReason()
    {
        var recovering = MovedTo(Triaged(), IncidentStatus.Responding, IncidentStatus.Recovering);

        var refused = Assert.Throws<CirtException>(() => Transition(recovering, IncidentStatus.Resolved, " ", overrideRestoration: true, Callers.Coordinator));

        Assert.Equal((CirtErrorKind.InvalidArgument, "reason"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void OnlyACoordinatorOverridesRestoration()
    {
        var recovering = MovedTo(Triaged(), IncidentStatus.Responding, IncidentStatus.Recovering);

        var refused = Assert.Throws<CirtException>(() => Transition(recovering, IncidentStatus.Resolved, "r", overrideRestoration: true, Callers.Analyst));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
    }

    [Theory]
    [InlineData(Severity.High)]
    [InlineData(Severity.Critical)]
    public void AHighOrCriticalIncidentIsClosedOnlyAfterItsReview(Severity severity)
    {
        var resolved = MovedTo(Triaged() with { Severity = severity }, IncidentStatus.Resolved);

        var refused = Assert.Throws<CirtException>(() => Transition(resolved, IncidentStatus.Closed));
        var reviewed = IncidentRecovery.RecordReview(resolved, new PostIncidentReview("w", "r", "", "", [], default, ""), 0, "ana", Later);

        Assert.Equal((CirtErrorKind.FailedPrecondition, "target_status"), (refused.Kind, refused.Field));
        Assert.Contains("post-incident review", refused.Message, StringComparison.Ordinal);
        Assert.Equal(IncidentStatus.Closed, Transition(reviewed, IncidentStatus.Closed).Status);
    }

    [Fact]
    public void AMediumIncidentClosesWithoutAReview()
    {
        Assert.Equal(IncidentStatus.Closed, MovedTo(Triaged(), IncidentStatus.Resolved, IncidentStatus.Closed).Status);
    }

    [Fact]
    public void ClosingCancelsEveryOpenTaskInTheSameVersionAndNamesEachInTheTimeline()
    {
        var resolved = MovedTo(WithTask(WithTask(WithTask(Triaged("aquaworks"), "Isolate the HMI"), "Send the logs", "aquaworks"), "Rotate the VPN keys"), IncidentStatus.Resolved);
        resolved = IncidentTasks.Update(resolved, 2, IncidentTaskStatus.Done, "", Callers.Analyst, Later);
        resolved = IncidentTasks.Update(resolved, 3, IncidentTaskStatus.InProgress, "", Callers.Analyst, Later);

        var closed = Transition(resolved, IncidentStatus.Closed, "final report received");

        Assert.Equal(
            [IncidentTaskStatus.Cancelled, IncidentTaskStatus.Done, IncidentTaskStatus.Cancelled],
            closed.Tasks.Select(t => t.Status));
        Assert.All(closed.Tasks.Where(t => t.Status == IncidentTaskStatus.Cancelled), t => Assert.Equal(Later, t.UpdatedAt));
        Assert.Equal(resolved.Version + 1, closed.Version);
        var cancelled = closed.Timeline[^1];
        Assert.Equal(("transitioned", "tasks-cancelled"), (closed.Timeline[^2].Kind, cancelled.Kind));
        Assert.Equal((closed.Timeline[^2].Sequence + 1, "ana"), (cancelled.Sequence, cancelled.Actor));
        Assert.Equal(
            "2 open task(s) cancelled as the incident is closed: 1. Isolate the HMI (gridco, was open); 3. Rotate the VPN keys (gridco, was in-progress)",
            cancelled.Summary);
    }

    [Fact]
    public void ClosingWithoutOpenTasksAddsNoCancellationEntry()
    {
        var closed = MovedTo(Triaged(), IncidentStatus.Resolved, IncidentStatus.Closed);

        Assert.Equal("transitioned", closed.Timeline[^1].Kind);
        Assert.DoesNotContain(closed.Timeline, e => e.Kind == "tasks-cancelled");
    }

    [Fact]
    public void ResolvingLeavesTheTasksOpenForTheFollowUp()
    {
        var resolved = MovedTo(WithTask(Triaged(), "Send the final report"), IncidentStatus.Resolved);

        Assert.Equal(IncidentTaskStatus.Open, Assert.Single(resolved.Tasks).Status);
    }

    // NIS2 Art. 23(4)(d): an incident handled before its final report falls due keeps that due time.
    [Fact]
    public void ResolvingBeforeTheFinalReportFallsDueLeavesItsDueTime()
    {
        var responding = SignificantAndResponding(out var finalDue);

        var resolved = IncidentWork.Transition(responding, IncidentStatus.Resolved, "", 0, false, Callers.Analyst, finalDue.AddDays(-2));

        Assert.Equal(responding.Deadlines, resolved.Deadlines);
        Assert.Equal("responding → resolved", resolved.Timeline[^1].Summary);
    }

    // NIS2 Art. 23(4)(e): still being handled when the final report falls due, a progress report is due then, and the
    // final report one month after the handling; a reopening withdraws that due time until the next resolution.
    [Fact]
    public void TheHandlingOfTheIncidentMovesTheFinalReportAndTheTransitionSaysHow()
    {
        var responding = SignificantAndResponding(out var finalDue);
        var recoveringAt = finalDue.AddDays(1);
        var resolvedAt = finalDue.AddDays(3);

        var recovering = IncidentWork.Transition(responding, IncidentStatus.Recovering, "", 0, false, Callers.Analyst, recoveringAt);
        var resolved = IncidentWork.Transition(Restored(recovering, "gridco"), IncidentStatus.Resolved, "", 0, false, Callers.Analyst, resolvedAt);
        var reopened = IncidentWork.Transition(resolved, IncidentStatus.Responding, "second wave", 0, false, Callers.Analyst, resolvedAt.AddDays(1));

        var progress = recovering.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2ProgressReport);
        Assert.Equal((finalDue, (DateTimeOffset?)null), (progress.DueAt, progress.MetAt));
        Assert.DoesNotContain(recovering.Deadlines, d => d.Kind == DeadlineKind.Nis2FinalReport);
        Assert.Equal(
            $"responding → recovering. NIS2: still being handled when the final report fell due ({Words.Time(finalDue)}): a progress report is due at that time instead "
            + "(Art. 23(4)(e)), not received yet; the final report is due one month after the incident is resolved",
            recovering.Timeline[^1].Summary);
        Assert.Equal(resolvedAt.AddMonths(1), resolved.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2FinalReport).DueAt);
        Assert.Equal(
            $"recovering → resolved. NIS2 final report now due {Words.Time(resolvedAt.AddMonths(1))}, one month after the handling of the incident",
            resolved.Timeline[^1].Summary);
        Assert.DoesNotContain(reopened.Deadlines, d => d.Kind == DeadlineKind.Nis2FinalReport);
        Assert.Equal(
            $"resolved → responding: second wave. NIS2 final report no longer due {Words.Time(resolvedAt.AddMonths(1))}: the incident is being handled again; "
            + "it is due one month after it is resolved",
            reopened.Timeline[^1].Summary);
    }

    [Fact]
    public void ReopeningARejectedIncidentSendsItBackToTriage()
    {
        var rejected = IncidentTriage.Triage(Reported(), Reject, 0, Rsit, "ana", TriagedAt);

        var reopened = Transition(rejected, IncidentStatus.Reported, "new evidence from GridCo", caller: Callers.Coordinator);

        Assert.Equal(IncidentStatus.Reported, reopened.Status);
        Assert.Equal(("reopened", "rejected → reported: new evidence from GridCo"), (reopened.Timeline[^1].Kind, reopened.Timeline[^1].Summary));
    }

    [Fact]
    public void ReopeningADuplicateForgetsItsOriginal()
    {
        var duplicate = IncidentTriage.Triage(Reported(), Reject with { Outcome = TriageOutcome.Duplicate, DuplicateOf = "CIRT-2026-000007" }, 0, Rsit, "ana", TriagedAt);

        Assert.Equal("", Transition(duplicate, IncidentStatus.Reported).DuplicateOf);
    }

    [Fact]
    public void AssigningRecordsTheNewAssigneeAndUnassigningTheFormerOne()
    {
        var assigned = IncidentWork.Assign(Reported(), "ben", 1, "ana", Later);
        var unassigned = IncidentWork.Assign(assigned, "", 2, "ana", Later);

        Assert.Equal(("ben", "Assigned to ben"), (assigned.Assignee, assigned.Timeline[^1].Summary));
        Assert.Equal(("", "Unassigned (was ben)", 3L), (unassigned.Assignee, unassigned.Timeline[^1].Summary, unassigned.Version));
    }

    [Fact]
    public void AssigningTheCurrentAssigneeChangesNothing()
    {
        var assigned = IncidentWork.Assign(Reported(), "ben", 0, "ana", Later);

        Assert.Same(assigned, IncidentWork.Assign(assigned, "ben", 0, "ana", Later));
    }

    [Fact]
    public void AssigningWithAStaleVersionIsAConflict()
    {
        var assigned = IncidentWork.Assign(Reported(), "ben", 0, "ana", Later);

        Assert.Equal(CirtErrorKind.Conflict, Assert.Throws<CirtException>(() => IncidentWork.Assign(assigned, "carl", 1, "ana", Later)).Kind);
    }
}
