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
