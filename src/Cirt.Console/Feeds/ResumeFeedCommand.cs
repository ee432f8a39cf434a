using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds resume: let a suspended feed publish again (coordinators).</summary>
public sealed class ResumeFeedCommand(IAnsiConsole console) : CirtCommand<FeedNameSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, FeedNameSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Feeds.ResumeFeedAsync(new ResumeFeedRequest { Name = s.Name }, cancellationToken: cancellationToken);
        var feed = response.Feed;
        return Emit(s, response, () => Console.MarkupLineInterpolated($"Feed [bold]{feed.Name}[/] is active again: {feed.Grants.Count} key(s) may publish it."));
    }
}
