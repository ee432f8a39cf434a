using System.ComponentModel;
using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace Cirt.Console.Ingest;

/// <summary>
/// cirt ingest stats: totals per feed, the current rate and the backlog. With --follow it reads them
/// again every few seconds until Ctrl+C: at a terminal a live display with each feed's rate since
/// the last look as bars; piped, one plain line per look; with --output json, one JSON line per look.
/// </summary>
public sealed class IngestStatsCommand(IAnsiConsole console) : CirtCommand<IngestStatsCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--follow")]
        [Description("Keep reading the statistics until Ctrl+C, with rates and backlog as they change")]
        public bool Follow { get; init; }

        [CommandOption("--every <SECONDS>")]
        [Description("With --follow: seconds between looks (1 to 3600; default 2)")]
        public int Every { get; init; } = 2;

        public override ValidationResult Validate() =>
            Every is < 1 or > 3600 ? ValidationResult.Error("--every must be between 1 and 3600 seconds.")
            : !Follow && Every != 2 ? ValidationResult.Error("--every goes with --follow.")
            : base.Validate();
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var stats = await ReadAsync(client, cancellationToken);
        if (!s.Follow)
        {
            return Emit(s, stats, () => Console.Write(Render(stats, previous: null, elapsed: TimeSpan.Zero)));
        }

        try
        {
            if (s.WantsJson)
            {
                await FollowAsync(client, s, stats, (current, _, _) => JsonLines.Write(Console, current), cancellationToken);
            }
            else if (Pictures.For(Console))
            {
                await Console.Live(Render(stats, null, TimeSpan.Zero)).AutoClear(false).StartAsync(context => FollowAsync(client, s, stats, (current, previous, elapsed) =>
                {
                    context.UpdateTarget(Render(current, previous, elapsed));
                    context.Refresh();
                }, cancellationToken));
            }
            else
            {
                await FollowAsync(client, s, stats, (current, previous, elapsed) => WriteLine(current, previous, elapsed), cancellationToken);
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }) && cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C.
        }

        return 0;
    }

    /// <summary>Shows the first look, then reads again every --every seconds and shows each with the one before, until cancelled.</summary>
    private static async Task FollowAsync(
        CirtClient client, Settings s, GetIngestStatsResponse first, Action<GetIngestStatsResponse, GetIngestStatsResponse?, TimeSpan> show, CancellationToken cancellationToken)
    {
        show(first, null, TimeSpan.Zero);
        var previous = first;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(s.Every));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var current = await ReadAsync(client, cancellationToken);
            var elapsed = clock.Elapsed;
            clock.Restart();
            show(current, previous, elapsed);
            previous = current;
        }
    }

    private static async Task<GetIngestStatsResponse> ReadAsync(CirtClient client, CancellationToken cancellationToken) =>
        await client.Ingest.GetIngestStatsAsync(new GetIngestStatsRequest(), cancellationToken: cancellationToken);

    /// <summary>The table of feeds, the rate and backlog, and (following) each feed's rate since the last look as bars.</summary>
    public static IRenderable Render(GetIngestStatsResponse stats, GetIngestStatsResponse? previous, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Feed");
        foreach (var column in new[] { "Stored", "Duplicates", "Unmatched", "Resent", "Rejected" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddColumn(new TableColumn("Last event").NoWrap());
        foreach (var f in stats.Feeds.Append(stats.Total))
        {
            table.AddRow(
                Markup.Escape(f.Feed), N(f.Stored), N(f.Duplicates), N(f.Unmatched), N(f.Resent), N(f.Rejected), Times.Of(f.LastEventAt));
        }

        var parts = new List<IRenderable>
        {
            table,
            new Markup($"{Rate(stats.EventsPerSecond)} events/s over the last minute; "
                + (stats.Backlog > 0 ? $"[yellow]{N(stats.Backlog)}[/]" : "0") + " event(s) waiting to be routed and aggregated."),
        };
        if (stats.PassInProgress)
        {
            parts.Add(new Markup(Markup.Escape(PassLine(stats))));
            if (stats.PassAggregatesTotal > 0)
            {
                parts.Add(new BreakdownChart().Width(60).ShowTagValues()
                    .AddItem("written", stats.PassAggregatesApplied, Color.Green)
                    .AddItem("to write", Math.Max(0, stats.PassAggregatesTotal - stats.PassAggregatesApplied), Color.Grey));
            }
        }

        if (previous is not null && elapsed > TimeSpan.Zero)
        {
            var rates = new BarChart().Width(60).Label($"[bold]Events stored per second over the last {elapsed.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s[/]").LeftAlignLabel();
            foreach (var feed in stats.Feeds)
            {
                rates.AddItem(feed.Feed, Math.Round(PerSecond(feed, previous, elapsed), 1), Color.SteelBlue);
            }

            parts.Add(stats.Feeds.Count == 0 ? new Markup("[grey]No feed has published yet.[/]") : rates);
            parts.Add(new Markup($"[grey]{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}; Ctrl+C to stop[/]"));
        }

        return new Rows(parts);
    }

    /// <summary>One plain line per look, for a pipe: time, rate, backlog, totals, and each feed's rate since the last look.</summary>
    private void WriteLine(GetIngestStatsResponse stats, GetIngestStatsResponse? previous, TimeSpan elapsed)
    {
        var line = $"{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\t{Rate(stats.EventsPerSecond)} events/s\tbacklog {stats.Backlog.ToString(CultureInfo.InvariantCulture)}\tstored {stats.Total.Stored.ToString(CultureInfo.InvariantCulture)}";
        if (previous is not null && elapsed > TimeSpan.Zero)
        {
            line += "\t" + string.Join(' ', stats.Feeds.Select(f => $"{f.Feed}={Rate(PerSecond(f, previous, elapsed))}/s"));
        }

        if (stats.PassInProgress)
        {
            line += "\t" + PassLine(stats);
        }

        Console.Profile.Out.Writer.WriteLine(line);
        Console.Profile.Out.Writer.Flush();
    }

    /// <summary>Events a feed stored per second since the previous look (0 for a feed new since then counts from nothing).</summary>
    public static double PerSecond(FeedStats feed, GetIngestStatsResponse previous, TimeSpan elapsed)
    {
        var before = previous.Feeds.FirstOrDefault(f => f.Feed == feed.Feed)?.Stored ?? 0;
        return Math.Max(0, feed.Stored - before) / elapsed.TotalSeconds;
    }

    private static string PassLine(GetIngestStatsResponse stats) =>
        $"A pass of {N(stats.PassEvents)} event(s) is writing its incidents since {Times.Of(stats.PassStartedAt)}: {N(stats.PassAggregatesApplied)} of {N(stats.PassAggregatesTotal)} written.";

    private static string Rate(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
