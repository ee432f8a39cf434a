using Cirt.Contracts.V1;
using Cirt.Server.Extensions;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Ingest;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// A full disk is an answer: the server's data folder on a small file system of its own
/// (<see cref="SmallDisk"/>), filled by a ballast file while sensors publish and operators report.
/// Callers hear RESOURCE_EXHAUSTED, that storage is full and nothing was stored, and when to retry;
/// health says NOT_SERVING (liveness still SERVING); the log says it once. Once the ballast is gone,
/// without a restart, health is SERVING, writes resume, and every acknowledged event and report is
/// stored exactly once.
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private const string Feed = "full-disk";
    private const int EventsPerBatch = 500;

    private readonly LogCapture _log = new();
    private ServerFixture? _server;
    private string _disk = "";
    private int _events;

    public async Task InitializeAsync()
    {
        _disk = SmallDisk.Folder();
        _server = new ServerFixture
        {
            DataDirectory = Path.Combine(_disk, "cirt-" + Guid.NewGuid().ToString("N")),
            ExtraArguments =
            [
                "--Cirt:FreeSpace:WarningMegabytes", "8",
                "--Cirt:FreeSpace:CheckInterval", "00:00:00.2",
                "--Logging:LogLevel:Cirt.Server.Storage", "Information",
            ],
        };
        await _server.InitializeAsync();
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(_log);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AFullDiskRefusesWritesAsResourceExhaustedAndNotServingAndWritesResumeOnceSpaceIsBack()
    {
        var server = _server!;
        var sensorKey = await server.IssueKeyAsync("full-disk-sensor", Role.Operator, "gridco");
        await server.GrantFeedAsync(Feed, sensorKey);
        var sensor = new IngestService.IngestServiceClient(server.Invoker(sensorKey));
        var analyst = server.Ingest(server.AnalystKey);
        var health = new Health.HealthClient(server.Channel);
        var acknowledged = new List<EventBatch>();
        var reported = new List<(SubmitIncidentRequest Request, string TrackingId)>();

        acknowledged.Add(await PublishAsync(sensor, NextBatch()));
        reported.Add(await ReportAsync(server, Reports.Valid()));
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        var ballast = SmallDisk.Fill(_disk);
        EventBatch refusedBatch;
        SubmitIncidentRequest refusedReport;
        try
        {
            // Space the databases' files already hold takes a few more writes: go on until the disk says no.
            (refusedBatch, var ingestRefusal) = await UntilRefusedAsync(NextBatch, async batch => acknowledged.Add(await PublishAsync(sensor, batch)));
            AssertFullDiskAnswer(ingestRefusal, "Publish");
            var (_, streamRefusal) = await UntilRefusedAsync(NextBatch, async batch => acknowledged.Add(await StreamAsync(sensor, batch)));
            AssertFullDiskAnswer(streamRefusal, "Stream");

            (refusedReport, var reportRefusal) = await UntilRefusedAsync(() => Reports.Valid(), async report => reported.Add(await ReportAsync(server, report)));
            AssertFullDiskAnswer(reportRefusal, "SubmitIncident");

            Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
            Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = GrpcExtensions.LivenessService })).Status);
            // Reads still work while writes are refused.
            await analyst.GetIngestStatsAsync(new GetIngestStatsRequest());
            // The watcher measures free space every 0.2 s: it warns while the disk is full.
            await Eventually.ReadAsync(() => Task.FromResult(FreeSpaceLines()), lines => lines.Any(m => m.StartsWith("Free space low", StringComparison.Ordinal)),
                "no free-space warning while the disk was full");
        }
        finally
        {
            File.Delete(ballast);
        }

        // Space is back: no restart, health turns SERVING by itself, and what was refused goes through when sent again.
        await Eventually.ReadAsync(
            async () => (await health.CheckAsync(new HealthCheckRequest())).Status,
            status => status == ServingStatus.Serving,
            "health did not turn SERVING again after the ballast was deleted");
        acknowledged.Add(await PublishAsync(sensor, refusedBatch));
        reported.Add(await ReportAsync(server, refusedReport));
        acknowledged.Add(await PublishAsync(sensor, NextBatch()));

        // Every acknowledged event stored once: the refused batch, sent again, counts once, nothing is missing.
        var expected = acknowledged.Sum(b => (long)b.Events.Count);
        var stats = await IngestStats.SettledAsync(analyst, stored: expected);
        var feed = stats.Feeds.Single(f => f.Feed == Feed);
        Assert.Equal(expected, feed.Stored);
        Assert.Equal(0, feed.Resent);
        // And a batch acknowledged before the disk filled, sent again now, is recognised as resent, not stored twice.
        await PublishAsync(sensor, acknowledged[0]);
        stats = await Eventually.ReadAsync(
            () => analyst.GetIngestStatsAsync(new GetIngestStatsRequest()).ResponseAsync,
            s => s.Backlog == 0 && s.Feeds.Single(f => f.Feed == Feed).Resent == EventsPerBatch,
            "the batch sent again was not recognised as resent");
        Assert.Equal(expected, stats.Feeds.Single(f => f.Feed == Feed).Stored);

        // Every acknowledged report is there, once: sending it again names the same incident.
        foreach (var (request, trackingId) in reported)
        {
            var again = await server.Reporting().SubmitIncidentAsync(request);
            Assert.Equal(trackingId, again.TrackingId);
            var incident = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
            Assert.Equal(request.Title, incident.Title);
        }

        // The log told the story once, not once per refused write, and warned about free space before.
        var storage = _log.Lines.Where(l => l.Category == typeof(StorageHealth).FullName).ToArray();
        Assert.Single(storage, l => l.Level == LogLevel.Error && l.Message.StartsWith("Storage is full", StringComparison.Ordinal));
        Assert.Single(storage, l => l.Message.StartsWith("Storage writable again", StringComparison.Ordinal));
        await Eventually.ReadAsync(() => Task.FromResult(FreeSpaceLines()), lines => lines.Any(m => m.StartsWith("Free space back above", StringComparison.Ordinal)),
            "no line saying free space is back above the threshold");
        Assert.Single(FreeSpaceLines(), m => m.StartsWith("Free space low", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Level >= LogLevel.Error && l.Category == typeof(IngestLog).FullName);
        // Orleans' grain storage logs a refused grain write twice; only the write that found the disk full, before it was known, may.
        Assert.InRange(_log.Lines.Count(l => l.Level >= LogLevel.Error &&
            (l.Category.StartsWith("Orleans.Storage", StringComparison.Ordinal) || l.Category == typeof(SqliteWriteGatedGrainStorage).FullName)), 0, 2);
        Assert.DoesNotContain(_log.Lines, l => l.Message.Contains("Internal error", StringComparison.Ordinal) || l.Message.StartsWith("Unexpected failure", StringComparison.Ordinal));
    }

    private string[] FreeSpaceLines() => _log.Lines.Where(l => l.Category == typeof(FreeSpaceWatcher).FullName).Select(l => l.Message).ToArray();

    private EventBatch NextBatch() => Events.Batch(Enumerable.Range(0, EventsPerBatch)
        .Select(_ => Events.Infected($"198.51.100.{Interlocked.Increment(ref _events) % 128}", feed: Feed))
        .ToArray());

    private static async Task<EventBatch> PublishAsync(IngestService.IngestServiceClient sensor, EventBatch batch)
    {
        var ack = (await sensor.PublishAsync(new PublishRequest { Batch = batch })).Ack;
        Assert.Equal(batch.Events.Count, ack.AcceptedCount);
        return batch;
    }

    /// <summary>Sends one batch on a stream of its own and returns it once acknowledged; the stream's status when refused.</summary>
    private static async Task<EventBatch> StreamAsync(IngestService.IngestServiceClient sensor, EventBatch batch)
    {
        using var stream = sensor.Stream();
        await stream.RequestStream.WriteAsync(new StreamRequest { Batch = batch });
        await stream.RequestStream.CompleteAsync();
        var acks = new List<BatchAck>();
        while (await stream.ResponseStream.MoveNext(CancellationToken.None))
        {
            acks.Add(stream.ResponseStream.Current.Ack);
        }

        Assert.Equal(batch.Events.Count, Assert.Single(acks).AcceptedCount);
        return batch;
    }

    private static async Task<(SubmitIncidentRequest, string)> ReportAsync(ServerFixture server, SubmitIncidentRequest report) =>
        (report, (await server.Reporting().SubmitIncidentAsync(report)).TrackingId);

    /// <summary>Sends new requests until one is refused; fails when a few hundred fit on a full disk.</summary>
    private static async Task<(T Refused, RpcException Answer)> UntilRefusedAsync<T>(Func<T> next, Func<T, Task> send)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var request = next();
            try
            {
                await send(request);
            }
            catch (RpcException refused)
            {
                return (request, refused);
            }
        }

        Assert.Fail("400 writes in a row were stored on a full disk");
        throw new InvalidOperationException();
    }

    private static void AssertFullDiskAnswer(RpcException answer, string call)
    {
        Assert.True(answer.StatusCode == StatusCode.ResourceExhausted, $"{call} on a full disk answered {answer.StatusCode}: {answer.Status.Detail}");
        Assert.Contains("Storage on the server is full", answer.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("nothing of this call's change was stored", answer.Status.Detail, StringComparison.Ordinal);
        var retryAfter = answer.Trailers.GetValue("retry-after");
        Assert.True(int.TryParse(retryAfter, out var seconds) && seconds >= 1, $"{call}: retry-after trailer '{retryAfter}'");
    }
}
