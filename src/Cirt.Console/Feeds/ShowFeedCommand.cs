using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds show: a feed with its grants and what its events came to.</summary>
public sealed class ShowFeedCommand(IAnsiConsole console) : CirtCommand<FeedNameSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, FeedNameSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Feeds.GetFeedAsync(new GetFeedRequest { Name = s.Name }, cancellationToken: cancellationToken);
        return Emit(s, response, () => FeedView.Show(Console, response.Feed, response.Stats ?? new FeedStats { Feed = s.Name }));
    }
}
