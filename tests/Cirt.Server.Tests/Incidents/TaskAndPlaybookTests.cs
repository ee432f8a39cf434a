using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>Playbooks create tasks at triage; operators see and update their organisation's tasks.</summary>
[Collection(ServerCollection.Name)]
public sealed class TaskAndPlaybookTests(ServerFixture server)
{
    [Fact]
    public async Task TriagingAMalwareIncidentCreatesItsPlaybookTasksForTheReporterAndTheAnalyst()
    {
        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;

        var triaged = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system",
            Severity = Severity.High, Assignee = "alice",
        })).Incident;

        var playbook = (await server.Playbooks(server.AnalystKey).GetPlaybookAsync(new GetPlaybookRequest { RsitClass = "malicious-code" })).Playbook;
        Assert.Equal(playbook.Steps.Select(s => s.Title), triaged.Tasks.Select(t => t.Title));
        Assert.All(triaged.Tasks, t => Assert.Equal("playbook:malicious-code", t.Origin));
        var isolate = triaged.Tasks[0];
        Assert.Equal(("gridco", "", IncidentTaskStatus.Open), (isolate.AssigneeStakeholderId, isolate.AssigneeAnalyst, isolate.Status));
        var triagedAt = triaged.Timeline.Single(e => e.Kind == "triaged").At.ToDateTimeOffset();
        Assert.Equal(triagedAt.AddHours(4), isolate.DueAt.ToDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Contains(triaged.Tasks, t => t.AssigneeAnalyst == "alice");
        Assert.Contains(triaged.Timeline, e => e.Kind == "tasks-created" && e.Actor == "system:playbook");

        // The operator sees its organisation's tasks (only those) and works them.
        var mine = await server.Incidents(server.GridcoKey).ListTasksAsync(new ListTasksRequest { AssigneeStakeholderId = "firstbank" });
        Assert.Equal(triaged.Tasks.Count(t => t.AssigneeStakeholderId == "gridco"), mine.Tasks.Count(r => r.Incident.TrackingId == id));
        Assert.All(mine.Tasks, r => Assert.Equal("gridco", r.Task.AssigneeStakeholderId));
        var done = await server.Incidents(server.GridcoKey).UpdateTaskAsync(new UpdateTaskRequest
        {
            TrackingId = id, TaskNumber = isolate.Number, Status = IncidentTaskStatus.Done, Note = "Both HMIs unplugged",
        });
        Assert.Equal(IncidentTaskStatus.Done, done.Task.Status);
        Assert.Contains(done.Incident.Timeline, e => e.Kind == "task-updated" && e.Actor == "gridco-soc@gridco" && e.Summary.Contains("Both HMIs unplugged", StringComparison.Ordinal));

        var analystTask = triaged.Tasks.First(t => t.AssigneeAnalyst == "alice");
        var denied = await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => server.Incidents(server.GridcoKey).UpdateTaskAsync(new UpdateTaskRequest
        {
            TrackingId = id, TaskNumber = analystTask.Number, Status = IncidentTaskStatus.Done,
        }).ResponseAsync);
        Assert.Contains("analyst alice", denied.Status.Detail);

        var finished = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => server.Incidents().UpdateTaskAsync(new UpdateTaskRequest
        {
            TrackingId = id, TaskNumber = isolate.Number, Status = IncidentTaskStatus.InProgress,
        }).ResponseAsync);
        Assert.Contains("finished tasks stay", finished.Status.Detail);
    }

    [Fact]
    public async Task ACoordinatorEditsAPlaybookAndTheNextTriageUsesIt()
    {
        var playbooks = server.Playbooks();
        await RpcAssert.FailsWith(StatusCode.NotFound, () => playbooks.GetPlaybookAsync(new GetPlaybookRequest { RsitClass = "abusive-content" }).ResponseAsync);
        var set = (await playbooks.SetPlaybookAsync(new SetPlaybookRequest
        {
            RsitClass = "abusive-content",
            Steps =
            {
                new PlaybookStep { Title = "Remove the abusive content", Assignee = StepAssignee.Reporter, DueWithinHours = 12 },
                new PlaybookStep { Title = "Notify the hosting provider", Assignee = StepAssignee.Cirt, DueWithinHours = 24 },
            },
        })).Playbook;
        Assert.Equal(1, set.Version);
        Assert.Contains(set, (await server.Playbooks(server.AnalystKey).ListPlaybooksAsync(new ListPlaybooksRequest())).Playbooks);
        await RpcAssert.FailsWith(StatusCode.Aborted, () => playbooks.SetPlaybookAsync(new SetPlaybookRequest
        {
            RsitClass = "abusive-content", ExpectedVersion = 7,
        }).ResponseAsync);

        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var triaged = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "abusive-content", RsitType = "spam", Severity = Severity.Low,
        })).Incident;
        Assert.Equal(["Remove the abusive content", "Notify the hosting provider"], triaged.Tasks.Select(t => t.Title));
        Assert.Equal(["gridco", ""], triaged.Tasks.Select(t => t.AssigneeStakeholderId));

        var invalid = await RpcAssert.InvalidFields(() => playbooks.SetPlaybookAsync(new SetPlaybookRequest
        {
            RsitClass = "no-such-class",
            Steps = { new PlaybookStep { Title = "", Assignee = StepAssignee.Unspecified, DueWithinHours = 0 } },
        }).ResponseAsync);
        Assert.Equal(["rsit_class", "steps[0].assignee", "steps[0].due_within_hours", "steps[0].title"], invalid.Order());
    }

    [Fact]
    public async Task AnAnalystAddsATaskForAStakeholderWhichShowsAsOverdueOnceLate()
    {
        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var added = await server.Incidents().AddTaskAsync(new AddTaskRequest
        {
            TrackingId = id, Title = "Send the firewall logs of 1 March", AssigneeStakeholderId = "gridco",
            DueAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(1)),
        });
        Assert.Equal((1, false), (added.Task.Number, added.Task.Overdue));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var overdue = await server.Incidents(server.GridcoKey).ListTasksAsync(new ListTasksRequest { OverdueOnly = true, PageSize = 500 });
        var row = Assert.Single(overdue.Tasks, r => r.Incident.TrackingId == id);
        Assert.True(row.Task.Overdue);
        // It became overdue with no write, as the clock passed: the total counts it all the same, exactly.
        Assert.Equal((overdue.Tasks.Count, false), (overdue.TotalSize, overdue.TotalIsLowerBound));

        var invalid = await RpcAssert.InvalidFields(() => server.Incidents().AddTaskAsync(new AddTaskRequest
        {
            TrackingId = id, Title = "", AssigneeStakeholderId = "gridco", AssigneeAnalyst = "alice",
            DueAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-2)),
        }).ResponseAsync);
        Assert.Equal(["assignee_analyst", "due_at", "title"], invalid.Order());
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Incidents().AddTaskAsync(new AddTaskRequest
        {
            TrackingId = id, Title = "t", AssigneeStakeholderId = "nobody-here",
        }).ResponseAsync);
    }
}
