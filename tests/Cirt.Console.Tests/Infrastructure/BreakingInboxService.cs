using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests;

/// <summary>An inbox whose stream sends one item and then breaks (UNAVAILABLE), as a server going down mid-stream.</summary>
public sealed class BreakingInboxService(string summary) : InboxService.InboxServiceBase
{
    public override async Task FollowInbox(FollowInboxRequest request, IServerStreamWriter<FollowInboxResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new FollowInboxResponse { Item = new InboxItem { Kind = InboxItemKind.Task, Key = "front-1", Summary = summary } });
        throw new RpcException(new Status(StatusCode.Unavailable, "server going down"));
    }
}
