using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Inbox;

/// <summary>The inbox stream pushes advisories, tasks and deadlines to the organisation they concern.</summary>
[Collection(ServerCollection.Name)]
public sealed class InboxTests(ServerFixture server)
{
    [Fact]
    public async Task AnOperatorFollowingItsInboxGetsNewAdvisoriesAndTasksAtOnceAndNothingOfOthers()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = new InboxService.InboxServiceClient(server.Invoker(server.GridcoKey)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        var stream = call.ResponseStream;
        await NextAsync(stream, i => i.Kind == InboxItemKind.Live, "", cancel.Token);

        var advisory = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest
        {
            Content = new AdvisoryContent { Title = "Inbox test advisory", Summary = "s", Tlp = Tlp.Green, TargetStakeholders = { "gridco" } },
        })).Advisory;
        var elsewhere = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest
        {
            Content = new AdvisoryContent { Title = "For the bank only", Summary = "s", Tlp = Tlp.Green, TargetStakeholders = { "firstbank" } },
        })).Advisory;
        await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = elsewhere.Id });
        await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = advisory.Id });

        var pushed = await NextAsync(stream, i => i.Kind == InboxItemKind.Advisory, elsewhere.Id, cancel.Token);
        Assert.Equal(advisory.Id, pushed.AdvisoryId);
        Assert.Contains("acknowledge", pushed.Summary);

        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        await server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Send the proxy logs", AssigneeStakeholderId = "gridco" });
        var task = await NextAsync(stream, i => i.Kind == InboxItemKind.Task && i.TrackingId == id, elsewhere.Id, cancel.Token);
        Assert.Equal($"Task 1 of {id}: Send the proxy logs", task.Summary);
    }

    [Fact]
    public async Task AStakeholderAddedToAnIncidentLearnsItFromItsInboxUnlessTheTlpKeepsItOut()
    {
        var aquaworks = await server.IssueKeyAsync("aqua-inbox", Role.Operator, "aquaworks");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = new InboxService.InboxServiceClient(server.Invoker(aquaworks)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        await NextAsync(call.ResponseStream, i => i.Kind == InboxItemKind.Live, "", cancel.Token);

        var strict = Reports.Valid("gridco");
        strict.Tlp = Tlp.AmberStrict;
        strict.Title = "Strictly GridCo's business";
        var hidden = (await server.Reporting().SubmitIncidentAsync(strict)).TrackingId;
        var shared = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var added = (await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = hidden, StakeholderIds = { "aquaworks" } })).Incident;
        Assert.Contains("do not see the incident", added.Timeline[^1].Summary);
        await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = shared, StakeholderIds = { "aquaworks" } });

        var item = await NextAsync(call.ResponseStream, i => i.Kind == InboxItemKind.Incident, "", cancel.Token);
        Assert.Equal(shared, item.TrackingId);
        Assert.Contains("affects your organisation", item.Summary);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => server.Incidents(aquaworks).GetIncidentAsync(new GetIncidentRequest { TrackingId = hidden }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task EveryItemOfAnExerciseIsMarkedExercise()
    {
        var aquaworks = await server.IssueKeyAsync("aqua-exercise", Role.Operator, "aquaworks");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var affectedCall = new InboxService.InboxServiceClient(server.Invoker(aquaworks)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        using var reporterCall = new InboxService.InboxServiceClient(server.Invoker(server.GridcoKey)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        await NextAsync(affectedCall.ResponseStream, i => i.Kind == InboxItemKind.Live, "", cancel.Token);
        await NextAsync(reporterCall.ResponseStream, i => i.Kind == InboxItemKind.Live, "", cancel.Token);

        var drill = Reports.Valid("gridco", significant: true);
        drill.Exercise = true;
        drill.Title = "Drill: ransomware on the SCADA HMI";
        var exercise = (await server.Reporting().SubmitIncidentAsync(drill)).TrackingId;
        var real = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        foreach (var id in new[] { exercise, real })
        {
            await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = id, StakeholderIds = { "aquaworks" } });
            await server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Check the backups", AssigneeStakeholderId = "aquaworks" });
        }

        // Items arrive in no promised order: collect each kind of both incidents.
        var affected = await CollectAsync(affectedCall.ResponseStream, [exercise, real], [InboxItemKind.Incident, InboxItemKind.Task], cancel.Token);
        var reporter = await CollectAsync(reporterCall.ResponseStream, [exercise, real], [InboxItemKind.Deadline], cancel.Token);
        var all = affected.Concat(reporter).ToArray();
        Assert.Equal(6, all.Length);
        Assert.All(all.Where(i => i.TrackingId == exercise), item =>
        {
            Assert.True(item.Exercise, $"{item.Kind} item not marked as an exercise");
            Assert.StartsWith("EXERCISE", item.Summary);
        });
        Assert.All(all.Where(i => i.TrackingId == real), item =>
        {
            Assert.False(item.Exercise);
            Assert.DoesNotContain("EXERCISE", item.Summary);
        });
    }

    /// <summary>Reads until an item of each kind has come for each incident; returns the first of each.</summary>
    private static async Task<IReadOnlyList<InboxItem>> CollectAsync(
        IAsyncStreamReader<FollowInboxResponse> stream, string[] trackingIds, InboxItemKind[] kinds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, InboxItemKind), InboxItem>();
        while (found.Count < trackingIds.Length * kinds.Length && await stream.MoveNext(cancellationToken))
        {
            var item = stream.Current.Item;
            if (trackingIds.Contains(item.TrackingId) && kinds.Contains(item.Kind))
            {
                found.TryAdd((item.TrackingId, item.Kind), item);
            }
        }

        return found.Values.ToArray();
    }

    /// <summary>The next item matching <paramref name="wanted"/>; fails on any item of the advisory meant for others.</summary>
    private static async Task<InboxItem> NextAsync(
        IAsyncStreamReader<FollowInboxResponse> stream, Func<InboxItem, bool> wanted, string othersAdvisoryId, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken))
        {
            Assert.True(othersAdvisoryId.Length == 0 || stream.Current.Item.AdvisoryId != othersAdvisoryId, "another organisation's advisory reached the inbox");
            if (wanted(stream.Current.Item))
            {
                return stream.Current.Item;
            }
        }

        throw new InvalidOperationException("The inbox stream ended.");
    }
}
