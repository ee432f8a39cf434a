using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// No open task outlives its incident: closing it, rejecting it or marking it a duplicate cancels
/// the tasks still open, says which in the timeline, and takes them out of the task lists and inboxes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EndedIncidentTasksTests(ServerFixture server)
{
    [Fact]
    public async Task ClosingCancelsTheOpenTasksWhichLeaveTheOperatorsListAndInbox()
    {
        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var triaged = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.Medium,
            Assignee = "alice",
        })).Incident;
        var gridcos = triaged.Tasks.Where(t => t.AssigneeStakeholderId == "gridco").Select(t => t.Number).ToArray();
        Assert.True(gridcos.Length >= 2, "the malicious-code playbook gives the reporter at least two tasks");
        await server.Incidents(server.GridcoKey).UpdateTaskAsync(new UpdateTaskRequest { TrackingId = id, TaskNumber = gridcos[0], Status = IncidentTaskStatus.Done });
        Assert.Equal(gridcos.Skip(1), await OpenTaskNumbersAsync(id));
        Assert.Equal(gridcos.Skip(1), await InboxTaskNumbersAsync(id));

        await server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved });
        var closed = (await server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest
        {
            TrackingId = id, TargetStatus = IncidentStatus.Closed, Reason = "contained and cleaned",
        })).Incident;

        Assert.All(closed.Tasks, t => Assert.Equal(t.Number == gridcos[0] ? IncidentTaskStatus.Done : IncidentTaskStatus.Cancelled, t.Status));
        var entry = closed.Timeline[^1];
        Assert.Equal(("tasks-cancelled", "alice"), (entry.Kind, entry.Actor));
        Assert.StartsWith($"{closed.Tasks.Count - 1} open task(s) cancelled as the incident is closed: ", entry.Summary);
        Assert.All(closed.Tasks.Where(t => t.Status == IncidentTaskStatus.Cancelled), t => Assert.Contains($"{t.Number}. {t.Title} (", entry.Summary));
        Assert.Equal(closed.Timeline[^2].Sequence + 1, entry.Sequence);
        Assert.Empty(await OpenTaskNumbersAsync(id));
        Assert.Empty(await InboxTaskNumbersAsync(id));
        var all = await server.Incidents(server.GridcoKey).ListTasksAsync(new ListTasksRequest { IncludeFinished = true });
        Assert.Equal(
            gridcos.Select(n => (n, n == gridcos[0] ? IncidentTaskStatus.Done : IncidentTaskStatus.Cancelled)),
            all.Tasks.Where(r => r.Incident.TrackingId == id).Select(r => (r.Task.Number, r.Task.Status)).Order());
        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => server.Incidents().AddTaskAsync(new AddTaskRequest
        {
            TrackingId = id, Title = "One more thing", AssigneeStakeholderId = "gridco",
        }).ResponseAsync);
        Assert.Contains("its work has ended and it takes no new tasks", refused.Status.Detail);
    }

    [Fact]
    public async Task RejectingCancelsTheTasksAddedWhileTheReportWaitedForTriage()
    {
        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        await server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Send the proxy logs", AssigneeStakeholderId = "gridco" });
        Assert.Equal(new[] { 1 }, await OpenTaskNumbersAsync(id));

        var rejected = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Reject, Reason = "a planned penetration test",
        })).Incident;

        Assert.Equal(IncidentTaskStatus.Cancelled, Assert.Single(rejected.Tasks).Status);
        Assert.Equal(["rejected", "tasks-cancelled"], rejected.Timeline.TakeLast(2).Select(e => e.Kind));
        Assert.Empty(await OpenTaskNumbersAsync(id));
    }

    /// <summary>The numbers of the incident's tasks in gridco's list of open tasks.</summary>
    private async Task<int[]> OpenTaskNumbersAsync(string trackingId) =>
        (await server.Incidents(server.GridcoKey).ListTasksAsync(new ListTasksRequest { PageSize = 500 })).Tasks
        .Where(r => r.Incident.TrackingId == trackingId).Select(r => r.Task.Number).Order().ToArray();

    /// <summary>The numbers of the incident's tasks in the inbox gridco's operator gets on connecting (its items up to LIVE).</summary>
    private async Task<int[]> InboxTaskNumbersAsync(string trackingId)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = new InboxService.InboxServiceClient(server.Invoker(server.GridcoKey)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        var numbers = new List<int>();
        while (await call.ResponseStream.MoveNext(cancel.Token) && call.ResponseStream.Current.Item.Kind != InboxItemKind.Live)
        {
            var item = call.ResponseStream.Current.Item;
            if (item.Kind == InboxItemKind.Task && item.TrackingId == trackingId)
            {
                numbers.Add(int.Parse(item.Summary.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return [.. numbers.Order()];
    }
}
