using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds list: every registered feed with its trust, quota, status and grants.</summary>
public sealed class ListFeedsCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Feeds.ListFeedsAsync(new ListFeedsRequest(), cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.Feeds.Count == 0)
            {
                Console.MarkupLine("No feeds yet: every event is refused until one is registered and granted ([bold]cirt feeds register[/], [bold]cirt feeds grant[/]).");
            }
            else
            {
                Console.Write(FeedView.List(response.Feeds));
            }
        });
    }
}
