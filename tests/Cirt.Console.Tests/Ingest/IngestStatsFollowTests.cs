using System.Text.Json;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Console.Tests.Ingest;

/// <summary>
/// cirt ingest stats --follow against a real server: it reads the statistics again and again until
/// Ctrl+C, and the events published meanwhile show in the next look (as a plain line when piped,
/// as a JSON line with --output json, in a live display at a terminal).
/// </summary>
public sealed class IngestStatsFollowTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;
    private IngestService.IngestServiceClient _sensor = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        var issued = await new KeyService.KeyServiceClient(_server.Invoker(_server.CoordinatorKey))
            .IssueKeyAsync(new IssueKeyRequest { Name = "sinkhole", Role = Role.Analyst });
        var feeds = new FeedService.FeedServiceClient(_server.Invoker(_server.CoordinatorKey));
        await feeds.RegisterFeedAsync(new RegisterFeedRequest { Name = "national-sinkhole", Settings = new FeedSettings { Trust = FeedTrust.National, Description = "d" } });
        await feeds.GrantFeedAsync(new GrantFeedRequest { Name = "national-sinkhole", KeyId = issued.Key.KeyId });
        _sensor = new IngestService.IngestServiceClient(_server.Invoker(issued.ApiKey));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task PipedItWritesALinePerLookUntilCtrlCAndEventsPublishedMeanwhileShow()
    {
        var screen = new CapturedConsole(terminal: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = Follow(screen, stop.Token);
        await Until(() => screen.Text.Contains("stored 0", StringComparison.Ordinal), "the first look");

        await PublishAsync(3);
        await Until(() => screen.Text.Contains("stored 3", StringComparison.Ordinal), "a look with the new events");
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        var last = screen.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.Contains("stored 3", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t[\d.]+ events/s\tbacklog \d+\tstored 3\t", last);
        Assert.Contains("national-sinkhole=", last);
        Assert.DoesNotContain("│", screen.Text);
    }

    [Fact]
    public async Task WithJsonItWritesOneStatisticsDocumentPerLine()
    {
        var screen = new CapturedConsole(terminal: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = Follow(screen, stop.Token, "--output", "json");
        await Until(() => screen.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 2, "two looks");
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        var looks = screen.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.All(looks, look => Assert.True(look.TryGetProperty("backlog", out _)));
    }

    [Fact]
    public async Task AtATerminalItRedrawsWithEachFeedsRate()
    {
        var screen = new CapturedConsole(terminal: true);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = Follow(screen, stop.Token);
        await PublishAsync(2);
        await Until(() => screen.Text.Contains("Events stored per second over the last", StringComparison.Ordinal), "the rates");
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Contains("national-sinkhole", screen.Text);
        Assert.Contains("waiting to be routed and aggregated", screen.Text);
    }

    private Task<int> Follow(CapturedConsole screen, CancellationToken cancellationToken, params string[] more) =>
        CirtConsole.RunAsync(
            ["ingest", "stats", "--follow", "--every", "1", .. more, "--server", _server.Url, "--key", _server.CoordinatorKey],
            screen.Console, TextReader.Null, cancellationToken);

    private async Task PublishAsync(int count)
    {
        var batch = new EventBatch { BatchId = Guid.NewGuid().ToString("N") };
        for (var i = 0; i < count; i++)
        {
            batch.Events.Add(new Event
            {
                ProducerEventId = Guid.NewGuid().ToString("N"),
                Feed = "national-sinkhole",
                RsitClass = "malicious-code",
                RsitType = "c2-server",
                ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
                SourceIp = $"198.51.100.{140 + i}",
            });
        }

        Assert.Equal(count, (await _sensor.PublishAsync(new PublishRequest { Batch = batch })).Ack.AcceptedCount);
    }

    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not come within 30 s");
            await Task.Delay(50);
        }
    }
}
