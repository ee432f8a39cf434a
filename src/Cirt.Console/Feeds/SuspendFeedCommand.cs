using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds suspend: stop a feed; its events are refused from the next batch on, whoever sends them (coordinators).</summary>
public sealed class SuspendFeedCommand(IAnsiConsole console) : CirtCommand<SuspendFeedCommand.Settings>(console)
{
    public sealed class Settings : FeedNameSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why (required; producers see it in each refusal)")]
        public string? Reason { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(s.Reason))
        {
            throw new UsageException("Give --reason: why the feed stops (its producers read it in each refusal).");
        }

        var response = await client.Feeds.SuspendFeedAsync(new SuspendFeedRequest { Name = s.Name, Reason = s.Reason }, cancellationToken: cancellationToken);
        var feed = response.Feed;
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"Feed [bold]{feed.Name}[/] suspended: its events are refused from the next batch on. Resume with: cirt feeds resume {feed.Name}"));
    }
}
