using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// One key cannot hold the server with streams: each key holds a limited number open (8 inbox
/// streams by default), one more is refused with RESOURCE_EXHAUSTED, closing one frees its slot, and
/// the streams that are open still get new items at once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StreamLimitTests(ServerFixture server)
{
    private const int DefaultStreamsPerKey = 8;

    [Fact]
    public async Task OneInboxStreamMoreThanAKeyMayHoldIsRefusedUntilOneCloses()
    {
        var key = await server.IssueKeyAsync("inbox-hog", Role.Operator, "gridco");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var open = new List<AsyncServerStreamingCall<FollowInboxResponse>>();
        try
        {
            for (var i = 0; i < DefaultStreamsPerKey; i++)
            {
                open.Add(await FollowAsync(server, key, cancel.Token));
            }

            var refused = await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => FollowAsync(server, key, cancel.Token));
            Assert.Contains($"{DefaultStreamsPerKey} streams", refused.Status.Detail);
            Assert.Contains("close one", refused.Status.Detail);

            // The limit is the key's: another key of the same organisation still follows its inbox.
            using var colleague = await FollowAsync(server, await server.IssueKeyAsync("inbox-colleague", Role.Operator, "gridco"), cancel.Token);

            // Closing one frees its slot (the server notices the client left; wait for that, not for a set time).
            open[0].Dispose();
            open.RemoveAt(0);
            open.Add(await Eventually.ReadAsync(
                async () => await TryFollowAsync(server, key, cancel.Token),
                call => call is not null,
                "the slot of the closed stream was not freed") ?? throw new InvalidOperationException());

            // Every stream still open gets a new item promptly.
            var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
            await server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Check the firewall logs", AssigneeStakeholderId = "gridco" });
            using var prompt = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            prompt.CancelAfter(TimeSpan.FromSeconds(10));
            await Task.WhenAll(open.Select(call => NextTaskAsync(call, id, prompt.Token)));
        }
        finally
        {
            open.ForEach(call => call.Dispose());
        }
    }

    /// <summary>Opens an inbox stream and reads up to its LIVE marker: the stream is then open on the server.</summary>
    internal static async Task<AsyncServerStreamingCall<FollowInboxResponse>> FollowAsync(ServerFixture server, string key, CancellationToken cancellationToken)
    {
        var call = new InboxService.InboxServiceClient(server.Invoker(key)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancellationToken);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                if (call.ResponseStream.Current.Item.Kind == InboxItemKind.Live)
                {
                    return call;
                }
            }

            throw new InvalidOperationException("The inbox stream ended before it was live.");
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private static async Task<AsyncServerStreamingCall<FollowInboxResponse>?> TryFollowAsync(ServerFixture server, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await FollowAsync(server, key, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
        {
            return null;
        }
    }

    private static async Task NextTaskAsync(AsyncServerStreamingCall<FollowInboxResponse> call, string trackingId, CancellationToken cancellationToken)
    {
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            if (call.ResponseStream.Current.Item is { Kind: InboxItemKind.Task } item && item.TrackingId == trackingId)
            {
                return;
            }
        }

        throw new InvalidOperationException("The inbox stream ended before the task came.");
    }
}
