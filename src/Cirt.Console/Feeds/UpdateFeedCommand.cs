using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Feeds;

/// <summary>
/// cirt feeds update: change what the options given say and keep the rest (coordinators). The
/// change is based on the version read first (or on --expected-version): made by someone else
/// meanwhile, it is refused rather than overwritten.
/// </summary>
public sealed class UpdateFeedCommand(IAnsiConsole console) : CirtCommand<UpdateFeedCommand.Settings>(console)
{
    public sealed class Settings : FeedOptions
    {
        [CommandOption("--expected-version <VERSION>")]
        [Description("The version the change is based on (cirt feeds show); by default the one read just before")]
        public long? ExpectedVersion { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var current = (await client.Feeds.GetFeedAsync(new GetFeedRequest { Name = s.Name }, cancellationToken: cancellationToken)).Feed;
        var settings = s.Apply(FeedView.SettingsOf(current));
        var response = await client.Feeds.UpdateFeedAsync(new UpdateFeedRequest
        {
            Name = s.Name, Settings = settings, ExpectedVersion = s.ExpectedVersion ?? current.Version,
        }, cancellationToken: cancellationToken);
        var feed = response.Feed;
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"Feed [bold]{feed.Name}[/] is at version {feed.Version}: {FeedView.Trust(feed)}, quota {FeedView.Quota(feed)}."));
    }
}
