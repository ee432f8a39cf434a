using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// Issue 16, finding 2: a TLP:RED incident leaked through tasks and the inbox. gridco reports a RED
/// incident that names firstbank; firstbank (affected) and city-hospital (not involved) may not see
/// it, so no task, task list or inbox may show it to them, and a task's assignee always sees (and
/// updates) what it was given.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RedIncidentTaskTests(ServerFixture server)
{
    private const string SecretTitle = "SECRET: insider at firstbank exfiltrating";

    [Fact]
    public async Task ARedIncidentReachesNoOrganisationItIsHiddenFromThroughTasksTaskListsOrTheInbox()
    {
        var firstbank = await server.IssueKeyAsync("firstbank-red", Role.Operator, "firstbank");
        var hospital = await server.IssueKeyAsync("hospital-red", Role.Operator, "city-hospital");
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Red;
        report.Title = SecretTitle;
        var id = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = id, StakeholderIds = { "firstbank" } });
        await RpcAssert.FailsWith(StatusCode.NotFound,
            () => server.Incidents(firstbank).GetIncidentAsync(new GetIncidentRequest { TrackingId = id }).ResponseAsync);

        var toBank = await RpcAssert.StatusOf(() => server.Incidents().AddTaskAsync(
            new AddTaskRequest { TrackingId = id, Title = "Preserve the insider's mailbox", AssigneeStakeholderId = "firstbank" }).ResponseAsync);
        var toHospital = await RpcAssert.StatusOf(() => server.Incidents().AddTaskAsync(
            new AddTaskRequest { TrackingId = id, Title = "Check for the same account", AssigneeStakeholderId = "city-hospital" }).ResponseAsync);

        foreach (var (name, key) in new[] { ("firstbank", firstbank), ("city-hospital", hospital) })
        {
            var tasks = await server.Incidents(key).ListTasksAsync(new ListTasksRequest { IncludeFinished = true, PageSize = 500 });
            Assert.DoesNotContain(tasks.Tasks, t => t.Incident.TrackingId == id);
            Assert.DoesNotContain(tasks.Tasks, t => t.Incident.Title == SecretTitle);
            var inbox = await Inboxes.CurrentAsync(server, key);
            Assert.True(inbox.All(i => i.TrackingId != id && !i.Summary.Contains("SECRET", StringComparison.Ordinal)),
                $"{name}'s inbox shows the RED incident: {string.Join(" | ", inbox.Where(i => i.TrackingId == id).Select(i => i.Summary))}");
            var deadlines = await server.Incidents(key).ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.All, PageSize = 500 });
            Assert.DoesNotContain(deadlines.Deadlines, d => d.Incident.TrackingId == id);
        }

        // The refusal names the rule and the field.
        Assert.Equal(StatusCode.FailedPrecondition, toBank.StatusCode);
        Assert.Contains("may see its incident", toBank.Status.Detail);
        Assert.Contains("TLP:RED", toBank.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, toHospital.StatusCode);
        var incident = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = id })).Incident;
        Assert.Empty(incident.Tasks);
    }

    [Fact]
    public async Task TheReporterOfARedIncidentSeesAndUpdatesTheTaskItIsGiven()
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Red;
        report.Title = SecretTitle;
        var id = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        await server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Revoke the contractor's VPN access", AssigneeStakeholderId = "gridco" });

        var listed = await server.Incidents(server.GridcoKey).ListTasksAsync(new ListTasksRequest { PageSize = 500 });
        Assert.Contains(listed.Tasks, t => t.Incident.TrackingId == id && t.Task.Number == 1);
        var updated = await server.Incidents(server.GridcoKey).UpdateTaskAsync(new UpdateTaskRequest { TrackingId = id, TaskNumber = 1, Status = IncidentTaskStatus.Done });
        Assert.Equal(IncidentTaskStatus.Done, updated.Task.Status);
    }

    [Fact]
    public async Task TriageMayNotRaiseTheTlpAboveWhatAnAssigneeWithAnOpenTaskMaySeeSoItsAssigneeCanAlwaysUpdateIt()
    {
        var firstbank = await server.IssueKeyAsync("firstbank-task", Role.Operator, "firstbank");
        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = id, StakeholderIds = { "firstbank" } });
        await server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Block the mule accounts", AssigneeStakeholderId = "firstbank" });

        var raise = new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "fraud", RsitType = "masquerade", Severity = Severity.High, Tlp = Tlp.Red,
        };
        var triage = await RpcAssert.StatusOf(() => server.Incidents().TriageIncidentAsync(raise).ResponseAsync);

        // Whatever triage answered, firstbank updates the task it was given.
        var updated = await RpcAssert.StatusOf(() => server.Incidents(firstbank).UpdateTaskAsync(
            new UpdateTaskRequest { TrackingId = id, TaskNumber = 1, Status = IncidentTaskStatus.InProgress }).ResponseAsync);
        Assert.True(updated.StatusCode == StatusCode.OK, $"firstbank's update of its own task answered {updated.StatusCode}: {updated.Status.Detail}");
        Assert.Equal(StatusCode.FailedPrecondition, triage.StatusCode);
        Assert.Contains("task 1", triage.Status.Detail);
        Assert.Contains("firstbank", triage.Status.Detail);

        // Once the task is finished, the label may go up.
        await server.Incidents(firstbank).UpdateTaskAsync(new UpdateTaskRequest { TrackingId = id, TaskNumber = 1, Status = IncidentTaskStatus.Done });
        var red = (await server.Incidents().TriageIncidentAsync(raise)).Incident;
        Assert.Equal(Tlp.Red, red.Tlp);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Incidents(firstbank).GetIncidentAsync(new GetIncidentRequest { TrackingId = id }).ResponseAsync);
        Assert.DoesNotContain((await server.Incidents(firstbank).ListTasksAsync(new ListTasksRequest { IncludeFinished = true, PageSize = 500 })).Tasks,
            t => t.Incident.TrackingId == id);
    }
}
