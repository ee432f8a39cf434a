using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Playbooks;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentTasksTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddHours(2);

    private static readonly Playbook Malware = new("malicious-code",
    [
        new PlaybookStep("Isolate the infected hosts", StepAssignee.Reporter, TimeSpan.FromHours(4)),
        new PlaybookStep("Analyse the sample", StepAssignee.Cirt, TimeSpan.FromHours(24)),
    ], 3, ReportedAt, "marie");

    private static Incident Update(Incident incident, int number, IncidentTaskStatus status, Cirt.Grains.Security.Principal? caller = null) =>
        IncidentTasks.Update(incident, number, status, "", caller ?? Callers.Analyst, Later);

    [Fact]
    public void ATaskIsNumberedAfterTheLastAndNamedInTheTimeline()
    {
        var due = Later.AddDays(1);
        var first = WithTask(Triaged(), "Isolate the HMI");

        var second = IncidentTasks.Add(first, new NewIncidentTask("Send the firewall logs", "gridco", "", due), "ana", Later);

        var task = second.Tasks[^1];
        Assert.Equal((2, IncidentTaskStatus.Open, "ana", "", Later), (task.Number, task.Status, task.CreatedBy, task.Origin, task.CreatedAt));
        Assert.Equal(("task-added", $"Task 2 for gridco, due {Words.Time(due)}: Send the firewall logs"), (second.Timeline[^1].Kind, second.Timeline[^1].Summary));
        Assert.Equal(first.Version + 1, second.Version);
    }

    [Fact]
    public void ATaskForNoOneIsTheCirtsDutyDesk()
    {
        var added = IncidentTasks.Add(Triaged(), new NewIncidentTask("Call the vendor", "", "", null), "ana", Later);

        Assert.Equal("Task 1 for the CIRT: Call the vendor", added.Timeline[^1].Summary);
    }

    [Fact]
    public void AnIncidentHoldsAtMostTheTaskLimit()
    {
        var full = Triaged() with
        {
            Tasks = Enumerable.Range(1, Limits.TasksPerIncident)
                .Select(n => new IncidentTask(n, $"t{n}", "", "", null, IncidentTaskStatus.Done, ReportedAt, "ana", "", ReportedAt)).ToArray(),
        };

        var refused = Assert.Throws<CirtException>(() => WithTask(full, "one more"));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains($"the limit is {Limits.TasksPerIncident}", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TriageOutcome.Reject)]
    [InlineData(TriageOutcome.Duplicate)]
    public void AnIncidentTriageEndedTakesNoNewTaskUntilReopened(TriageOutcome outcome)
    {
        var ended = IncidentTriage.Triage(Reported(), Reject with { Outcome = outcome, DuplicateOf = outcome == TriageOutcome.Duplicate ? "CIRT-2026-000007" : "" }, 0, Rsit, "ana", TriagedAt);

        var refused = Assert.Throws<CirtException>(() => WithTask(ended, "Send the logs"));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "tracking_id"), (refused.Kind, refused.Field));
        Assert.EndsWith("reopen it first (transition to Reported).", refused.Message, StringComparison.Ordinal);
        Assert.Single(WithTask(MovedTo(ended, IncidentStatus.Reported), "Send the logs").Tasks, t => t.IsOpen);
    }

    [Fact]
    public void AClosedIncidentTakesNoNewTask()
    {
        var closed = MovedTo(Triaged(), IncidentStatus.Resolved, IncidentStatus.Closed);

        var refused = Assert.Throws<CirtException>(() => WithTask(closed, "Send the logs"));

        Assert.Equal($"Incident {TrackingId} is closed: its work has ended and it takes no new tasks.", refused.Message);
    }

    [Fact]
    public void MovingATaskRecordsTheChangeAndTheNote()
    {
        var incident = WithTask(Triaged(), "Isolate the HMI");

        var done = IncidentTasks.Update(incident, 1, IncidentTaskStatus.Done, "both HMIs unplugged", Callers.Operator("gridco"), Later);

        Assert.Equal((IncidentTaskStatus.Done, Later), (done.Tasks[0].Status, done.Tasks[0].UpdatedAt));
        Assert.Equal(("task-updated", "soc@gridco", "Task 1 (Isolate the HMI): open → done: both HMIs unplugged"),
            (done.Timeline[^1].Kind, done.Timeline[^1].Actor, done.Timeline[^1].Summary));
    }

    [Fact]
    public void AnOperatorMovesOnlyItsOwnOrganisationsTasks()
    {
        var incident = IncidentTasks.Add(Triaged(), new NewIncidentTask("Analyse the sample", "", "ana", null), "ana", Later);

        var refused = Assert.Throws<CirtException>(() => Update(incident, 1, IncidentTaskStatus.Done, Callers.Operator("gridco")));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.Equal($"Task 1 of {TrackingId} is for analyst ana; your organisation updates only its own tasks.", refused.Message);
    }

    [Fact]
    public void AnUnknownTaskIsNotFoundNamingHowManyThereAre()
    {
        var refused = Assert.Throws<CirtException>(() => Update(WithTask(Triaged(), "Isolate"), 7, IncidentTaskStatus.Done));

        Assert.Equal((CirtErrorKind.NotFound, "task_number"), (refused.Kind, refused.Field));
        Assert.Equal($"Incident {TrackingId} has no task 7 (it has 1).", refused.Message);
    }

    [Theory]
    [InlineData(IncidentTaskStatus.Done)]
    [InlineData(IncidentTaskStatus.Cancelled)]
    public void AFinishedTaskStaysAsItIs(IncidentTaskStatus finished)
    {
        var incident = Update(WithTask(Triaged(), "Isolate"), 1, finished);

        var refused = Assert.Throws<CirtException>(() => Update(incident, 1, IncidentTaskStatus.InProgress));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "status"), (refused.Kind, refused.Field));
        Assert.Contains("finished tasks stay as they are", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MovingATaskToTheStatusItHasChangesNothing()
    {
        var incident = WithTask(Triaged(), "Isolate");

        Assert.Same(incident, Update(incident, 1, IncidentTaskStatus.Open));
    }

    [Fact]
    public void APlaybookAddsItsStepsAsTasksWithinTheTriage()
    {
        var triaged = Triaged() with { Assignee = "ben" };

        var withPlaybook = IncidentTasks.AddPlaybook(triaged, Malware, TriagedAt);

        Assert.Equal(triaged.Version, withPlaybook.Version);
        Assert.Equal(
            [(1, "Isolate the infected hosts", "gridco", "", TriagedAt.AddHours(4)), (2, "Analyse the sample", "", "ben", TriagedAt.AddHours(24))],
            withPlaybook.Tasks.Select(t => (t.Number, t.Title, t.AssigneeStakeholderId, t.AssigneeAnalyst, t.DueAt!.Value)));
        Assert.All(withPlaybook.Tasks, t => Assert.Equal(("playbook:malicious-code", "system:playbook"), (t.Origin, t.CreatedBy)));
        Assert.Equal(("tasks-created", "system:playbook"), (withPlaybook.Timeline[^1].Kind, withPlaybook.Timeline[^1].Actor));
        Assert.Equal("Playbook malicious-code (version 3): 2 task(s) created: 1. Isolate the infected hosts (gridco); 2. Analyse the sample (analyst ben)",
            withPlaybook.Timeline[^1].Summary);
    }

    [Fact]
    public void APlaybookAddsItsTasksOncePerClass()
    {
        var once = IncidentTasks.AddPlaybook(Triaged(), Malware, TriagedAt);

        Assert.Same(once, IncidentTasks.AddPlaybook(once, Malware, Later));
    }

    [Fact]
    public void AClassWithoutAPlaybookOrWithAnotherClassesPlaybookAddsNothing()
    {
        var triaged = Triaged();

        Assert.Same(triaged, IncidentTasks.AddPlaybook(triaged, null, TriagedAt));
        Assert.Same(triaged, IncidentTasks.AddPlaybook(triaged, Malware with { Steps = [] }, TriagedAt));
        Assert.Same(triaged, IncidentTasks.AddPlaybook(triaged, Malware with { RsitClass = "fraud" }, TriagedAt));
    }

    [Fact]
    public void CancellingLeavesTheTasksOfAnIncidentStillBeingWorked()
    {
        var incident = WithTask(Triaged(), "Isolate");

        Assert.Same(incident, IncidentTasks.CancelWhenEnded(incident, "ana", Later));
    }

    [Theory]
    [InlineData(Tlp.Clear, "aquaworks", true)]
    [InlineData(Tlp.Green, "aquaworks", true)]
    [InlineData(Tlp.Amber, "aquaworks", true)]
    [InlineData(Tlp.AmberStrict, "aquaworks", false)]
    [InlineData(Tlp.Red, "aquaworks", false)]
    [InlineData(Tlp.Red, "gridco", true)]
    [InlineData(Tlp.Clear, "city-hospital", false)]
    public void ATaskGoesOnlyToAnOrganisationThatMaySeeItsIncident(Tlp tlp, string assignee, bool allowed)
    {
        // gridco reported it; aquaworks is affected; city-hospital is not involved.
        var incident = Triaged("aquaworks") with { Tlp = tlp };
        var task = new NewIncidentTask("Preserve the mailbox", assignee, "", null);

        if (allowed)
        {
            Assert.Equal(assignee, IncidentTasks.Add(incident, task, "ana", Later).Tasks[^1].AssigneeStakeholderId);
            return;
        }

        var refused = Assert.Throws<CirtException>(() => IncidentTasks.Add(incident, task, "ana", Later));
        Assert.Equal((CirtErrorKind.FailedPrecondition, "assignee_stakeholder_id"), (refused.Kind, refused.Field));
        Assert.StartsWith($"A task goes only to an organisation that may see its incident, and '{assignee}' may not see {TrackingId}: at TLP:{TlpLabels.Of(tlp)}",
            refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TasksForAnalystsAndTheCirtGoOnAnyIncident()
    {
        var red = Triaged() with { Tlp = Tlp.Red };

        var added = IncidentTasks.Add(IncidentTasks.Add(red, new NewIncidentTask("Interview the reporter", "", "ana", null), "ana", Later),
            new NewIncidentTask("Call the vendor", "", "", null), "ana", Later);

        Assert.Equal(2, added.Tasks.Length);
    }

    [Fact]
    public void ALabelThatWouldHideTheIncidentFromAnOpenTasksOrganisationIsRefused()
    {
        var incident = IncidentTasks.Add(Triaged("aquaworks"), new NewIncidentTask("Block the accounts", "aquaworks", "", null), "ana", Later);

        var refused = Assert.Throws<CirtException>(() => IncidentTasks.RefuseHidingFromAssignees(incident, incident with { Tlp = Tlp.Red }, "tlp"));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "tlp"), (refused.Kind, refused.Field));
        Assert.Contains("task 1 for aquaworks", refused.Message, StringComparison.Ordinal);
        // Still visible at AMBER, the reporter's own task at RED, and a finished task: nothing to refuse.
        IncidentTasks.RefuseHidingFromAssignees(incident, incident with { Tlp = Tlp.Green }, "tlp");
        var ownAtRed = IncidentTasks.Add(Triaged("aquaworks"), new NewIncidentTask("Reset passwords", "gridco", "", null), "ana", Later);
        IncidentTasks.RefuseHidingFromAssignees(ownAtRed, ownAtRed with { Tlp = Tlp.Red }, "tlp");
        var finished = Update(incident, 1, IncidentTaskStatus.Done);
        IncidentTasks.RefuseHidingFromAssignees(finished, finished with { Tlp = Tlp.Red }, "tlp");
    }
}
