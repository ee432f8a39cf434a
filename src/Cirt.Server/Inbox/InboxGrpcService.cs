using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Inbox;

/// <summary>
/// cirt.v1.InboxService: a principal's inbox as a server stream. A stream subscribes to the
/// <see cref="InboxFeed"/>, sends the inbox as it stands, then what the feed pushes; it never
/// polls the read model itself, so open streams cost nothing until something concerns them. A
/// reconnecting client simply gets the current items again.
/// </summary>
public sealed class InboxGrpcService(InboxSubscribers subscribers, InboxReader reader) : Proto.InboxService.InboxServiceBase
{
    /// <summary>How many item keys a stream remembers having sent (see <see cref="RecentKeys"/>).</summary>
    private const int RememberedKeys = 4_096;

    public override async Task FollowInbox(Proto.FollowInboxRequest request, IServerStreamWriter<Proto.FollowInboxResponse> responseStream, ServerCallContext context)
    {
        var caller = context.Principal();
        var cancellationToken = context.CancellationToken;
        var sent = new RecentKeys(RememberedKeys);

        // Subscribe first, then read: what changes in between is pushed as well, and sent once.
        using var subscription = subscribers.Subscribe(caller);
        try
        {
            await SendAsync(await reader.CurrentAsync(caller, cancellationToken));
            await responseStream.WriteAsync(new Proto.FollowInboxResponse { Item = InboxItems.Live() }, cancellationToken);
            while (true)
            {
                await subscription.WaitAsync(cancellationToken);
                await SendAsync(subscription.TakePending());
                if (subscription.TakeFellBehind())
                {
                    await SendAsync(await reader.CurrentAsync(caller, cancellationToken));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }

        async Task SendAsync(IEnumerable<Proto.InboxItem> items)
        {
            foreach (var item in items)
            {
                if (sent.Add(item.Key))
                {
                    await responseStream.WriteAsync(new Proto.FollowInboxResponse { Item = item }, cancellationToken);
                }
            }
        }
    }
}
