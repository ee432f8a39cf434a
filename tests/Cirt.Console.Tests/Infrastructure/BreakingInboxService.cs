using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests;

/// <summary>
/// An inbox whose first stream sends one item and then breaks (UNAVAILABLE), as a server going down
/// mid-stream; a stream opened after that starts over: the same item, a second one, then live.
/// </summary>
public sealed class BreakingInboxService(string first, string second) : InboxService.InboxServiceBase
{
    private int _streams;

    public override async Task FollowInbox(FollowInboxRequest request, IServerStreamWriter<FollowInboxResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new FollowInboxResponse { Item = new InboxItem { Kind = InboxItemKind.Task, Key = "task-1", Summary = first } });
        if (Interlocked.Increment(ref _streams) == 1)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "server going down"));
        }

        await responseStream.WriteAsync(new FollowInboxResponse { Item = new InboxItem { Kind = InboxItemKind.Task, Key = "task-2", Summary = second } });
        await responseStream.WriteAsync(new FollowInboxResponse { Item = new InboxItem { Kind = InboxItemKind.Live } });
    }
}
