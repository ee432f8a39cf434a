using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// A sensor streams events while the server is killed with kill -9. After the restart it resends
/// everything: every acknowledged event is there, and nothing is stored twice. A repeat of a target
/// seen before the crash is still a duplicate after it.
/// </summary>
public sealed class IngestCrashTests : IDisposable
{
    private const int Batches = 400;
    private const int EventsPerBatch = 100;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-e2e-ingest-" + Guid.NewGuid().ToString("N"));
    private readonly ServerProcess _server;

    public IngestCrashTests()
    {
        _server = new ServerProcess(Path.Combine(_directory, "data"));
    }

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task EveryAcknowledgedEventSurvivesKillDashNineAndResendingStoresNothingTwice()
    {
        _server.Start();
        var key = _server.BootstrapKey;
        var batches = Enumerable.Range(0, Batches).Select(MakeBatch).ToArray();
        var acknowledged = new List<string>();

        using (var channel = GrpcChannel.ForAddress(_server.Url))
        {
            await GrantFeedAsync(channel, new Metadata { { "authorization", "Bearer " + key } });
            var client = new IngestService.IngestServiceClient(channel);
            using var call = client.Stream(new Metadata { { "authorization", "Bearer " + key } });
            var reading = Task.Run(async () =>
            {
                try
                {
                    await foreach (var response in call.ResponseStream.ReadAllAsync())
                    {
                        lock (acknowledged)
                        {
                            acknowledged.Add(response.Ack.BatchId);
                        }
                    }
                }
                catch (RpcException)
                {
                    // The server died mid-stream: what was acknowledged so far is what counts.
                }
            });

            var sending = Task.Run(async () =>
            {
                try
                {
                    foreach (var batch in batches)
                    {
                        await call.RequestStream.WriteAsync(new StreamRequest { Batch = batch });
                    }
                }
                catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException)
                {
                }
            });

            // Kill it once a good part, but not all, of the stream has been acknowledged.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                lock (acknowledged)
                {
                    if (acknowledged.Count >= Batches / 4)
                    {
                        break;
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, "the server acknowledged too little within 60 s:\n" + _server.Output);
                await Task.Delay(5);
            }

            _server.Kill();
            await Task.WhenAll(reading, sending);
        }

        int acknowledgedBeforeCrash;
        lock (acknowledged)
        {
            acknowledgedBeforeCrash = acknowledged.Count;
        }

        _server.Start();
        using (var channel = GrpcChannel.ForAddress(_server.Url))
        {
            var headers = new Metadata { { "authorization", "Bearer " + key } };
            var client = new IngestService.IngestServiceClient(channel);
            var stats = await client.GetIngestStatsAsync(new GetIngestStatsRequest(), headers);
            // Durable means stored: at least every acknowledged event is in the log (the aggregator may still be on its way).
            Assert.True(stats.Total.Stored + stats.Backlog >= acknowledgedBeforeCrash * (long)EventsPerBatch,
                $"acknowledged {acknowledgedBeforeCrash * EventsPerBatch} events, found {stats.Total.Stored} stored + {stats.Backlog} in backlog");

            // The sensor does not know what got through: it resends everything.
            foreach (var batch in batches)
            {
                var ack = (await client.PublishAsync(new PublishRequest { Batch = batch }, headers)).Ack;
                Assert.Equal(EventsPerBatch, ack.AcceptedCount);
            }

            var settled = await SettledAsync(client, headers, Batches * (long)EventsPerBatch);
            Assert.Equal(Batches * (long)EventsPerBatch, settled.Total.Stored);
            Assert.True(settled.Total.Resent >= acknowledgedBeforeCrash * (long)EventsPerBatch,
                $"the {acknowledgedBeforeCrash * EventsPerBatch} events acknowledged before the crash were resent and recognised; resent: {settled.Total.Resent}");
        }

        // What the analyst sees: the totals, and one incident for ExampleTel (which owns 192.0.2.0/24).
        var analyst = new CirtCli(Path.Combine(_directory, "analyst.json"));
        var totals = analyst.Run("ingest", "stats", "--server", _server.Url, "--key", key).Succeeded().Output;
        Assert.Contains("crash-test", totals);
        Assert.Contains("40,000", totals);
        var queue = analyst.Run("incidents", "list", "--stakeholder", "exampletel", "--server", _server.Url, "--key", key).Succeeded().Output;
        Assert.Contains("infected-system in ExampleTel's", queue);
        Assert.Contains("malicious-code/infected-system", queue);
    }

    [Fact]
    public async Task ARepeatAfterKillDashNineOfATargetSeenBeforeTheCrashIsADuplicate()
    {
        // Passes every half second rather than every ten: the test waits for them.
        _server.Settings["Cirt__Ingest__AggregationFlushInterval"] = "00:00:00.5";
        _server.Start();
        var headers = new Metadata { { "authorization", "Bearer " + _server.BootstrapKey } };
        using (var channel = GrpcChannel.ForAddress(_server.Url))
        {
            await GrantFeedAsync(channel, headers);
            var client = new IngestService.IngestServiceClient(channel);
            await client.PublishAsync(new PublishRequest { Batch = Sighting("first", minutesAgo: 10) }, headers);
            var before = await SettledAsync(client, headers, stored: 1);
            Assert.Equal(0, before.Total.Duplicates);
        }

        _server.Kill();
        _server.Start();

        using (var channel = GrpcChannel.ForAddress(_server.Url))
        {
            var client = new IngestService.IngestServiceClient(channel);
            await client.PublishAsync(new PublishRequest { Batch = Sighting("repeat", minutesAgo: 5) }, headers);
            var after = await SettledAsync(client, headers, stored: 2);
            Assert.Equal(1, after.Total.Duplicates);

            // ExampleTel's incident counts the repeat as a duplicate too.
            var incidents = new IncidentService.IncidentServiceClient(channel);
            var listed = await incidents.ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "exampletel" }, headers);
            var incident = (await incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = Assert.Single(listed.Incidents).TrackingId }, headers)).Incident;
            Assert.Equal((2, 1), (incident.EventCount, incident.DuplicateCount));
        }
    }

    /// <summary>The same feed, type and target each time (ExampleTel's 192.0.2.10), under a new producer_event_id.</summary>
    private static EventBatch Sighting(string id, int minutesAgo)
    {
        var batch = new EventBatch { BatchId = id };
        batch.Events.Add(new Event
        {
            ProducerEventId = id,
            Feed = "crash-test",
            RsitClass = "malicious-code",
            RsitType = "infected-system",
            ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-minutesAgo)),
            SourceIp = "192.0.2.10",
            MalwareFamily = "mirai",
        });
        return batch;
    }

    private static EventBatch MakeBatch(int b)
    {
        var batch = new EventBatch { BatchId = $"batch-{b}" };
        for (var i = 0; i < EventsPerBatch; i++)
        {
            var n = (b * EventsPerBatch) + i;
            batch.Events.Add(new Event
            {
                ProducerEventId = $"event-{n}",
                Feed = "crash-test",
                RsitClass = "malicious-code",
                RsitType = "infected-system",
                ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10)),
                SourceIp = $"192.0.2.{n % 200}",
                MalwareFamily = "mirai",
            });
        }

        return batch;
    }

    /// <summary>
    /// Registers the national feed "crash-test" and grants it to the caller's key, through the API
    /// as a coordinator would: events of feeds not granted to their key are refused. The registry is
    /// stored like any grain state, so the grant holds after kill -9.
    /// </summary>
    private static async Task GrantFeedAsync(GrpcChannel channel, Metadata headers)
    {
        var feeds = new FeedService.FeedServiceClient(channel);
        await feeds.RegisterFeedAsync(new RegisterFeedRequest { Name = "crash-test", Settings = new FeedSettings { Trust = FeedTrust.National } }, headers);
        var keyId = (await new KeyService.KeyServiceClient(channel).WhoAmIAsync(new WhoAmIRequest(), headers)).Key.KeyId;
        await feeds.GrantFeedAsync(new GrantFeedRequest { Name = "crash-test", KeyId = keyId }, headers);
    }

    private static async Task<GetIngestStatsResponse> SettledAsync(IngestService.IngestServiceClient client, Metadata headers, long stored)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var stats = await client.GetIngestStatsAsync(new GetIngestStatsRequest(), headers);
            if (stats.Backlog == 0 && stats.Total.Stored >= stored)
            {
                return stats;
            }

            Assert.True(DateTime.UtcNow < deadline, $"aggregation did not catch up: backlog {stats.Backlog}, stored {stats.Total.Stored}");
            await Task.Delay(100);
        }
    }
}
