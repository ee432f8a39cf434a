using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests;

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
