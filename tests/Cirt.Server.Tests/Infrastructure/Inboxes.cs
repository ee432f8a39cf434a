using Cirt.Contracts.V1;

namespace Cirt.Server.Tests;

/// <summary>What a key's inbox holds now: the items its stream sends before the LIVE marker.</summary>
public static class Inboxes
{
    public static async Task<IReadOnlyList<InboxItem>> CurrentAsync(ServerFixture server, string apiKey)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = new InboxService.InboxServiceClient(server.Invoker(apiKey)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        var items = new List<InboxItem>();
        while (await call.ResponseStream.MoveNext(cancel.Token))
        {
            if (call.ResponseStream.Current.Item.Kind == InboxItemKind.Live)
            {
                return items;
            }

            items.Add(call.ResponseStream.Current.Item);
        }

        throw new InvalidOperationException("The inbox stream ended before its LIVE marker.");
    }
}
