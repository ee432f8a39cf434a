using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds register: a feed that may publish automated events once a key is granted it (coordinators).</summary>
public sealed class RegisterFeedCommand(IAnsiConsole console) : CirtCommand<FeedOptions>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, FeedOptions s, CancellationToken cancellationToken)
    {
        if (s.Trust is null)
        {
            throw new UsageException("Give --trust national or --trust organisation (with --owner): how far the feed's word goes.");
        }

        var response = await client.Feeds.RegisterFeedAsync(new RegisterFeedRequest { Name = s.Name, Settings = s.Apply(new FeedSettings()) }, cancellationToken: cancellationToken);
        var feed = response.Feed;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated($"Registered feed [bold]{feed.Name}[/] ({FeedView.Trust(feed)}). No key may publish it yet:");
            Console.MarkupLineInterpolated($"  cirt feeds grant {feed.Name} --key-id KEY-ID");
        });
    }
}
