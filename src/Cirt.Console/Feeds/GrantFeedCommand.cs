using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds grant: let a key publish a feed's events (coordinators).</summary>
public sealed class GrantFeedCommand(IAnsiConsole console) : CirtCommand<FeedKeySettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, FeedKeySettings s, CancellationToken cancellationToken)
    {
        var keyId = s.KeyId ?? throw new UsageException("Give --key-id KEY-ID: the key that may publish (cirt keys list shows the ids).");
        var response = await client.Feeds.GrantFeedAsync(new GrantFeedRequest { Name = s.Name, KeyId = keyId }, cancellationToken: cancellationToken);
        var feed = response.Feed;
        var grant = feed.Grants.Single(g => g.KeyId == keyId);
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"Key [bold]{grant.KeyId}[/] ({grant.KeyName}) may publish feed [bold]{feed.Name}[/] from its next batch on."));
    }
}
