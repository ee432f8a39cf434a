using System.Globalization;
using System.Text.Json;
using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.Benchmarks.Ingest;

/// <summary>
/// The ingest benchmark: the real server against a no-op gRPC server fed the same batches in the
/// same run (the ratio is the figure that counts on a shared machine), ack latency at a fixed
/// offered load, exact verification of what was stored, and the server's peak memory.
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(Settings s)
    {
        if (s.Profile != "cluster")
        {
            return (await MeasureAsync(s, "embedded", 1)).Verified ? 0 : 1;
        }

        // The cluster beside the embedded profile, measured in the same run on the same batches.
        var embedded = await MeasureAsync(s, "embedded", 1);
        var cluster = await MeasureAsync(s, "cluster", s.Silos);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT profile=cluster silos={s.Silos} events_per_s={cluster.EventsPerSecond:F0} embedded_events_per_s={embedded.EventsPerSecond:F0} " +
            $"ratio_to_embedded={cluster.EventsPerSecond / embedded.EventsPerSecond:F3} p50_ms={cluster.P50Ms:F2} p99_ms={cluster.P99Ms:F2} " +
            $"embedded_p99_ms={embedded.P99Ms:F2} verified={(cluster.Verified && embedded.Verified ? "true" : "false")}"));
        return cluster.Verified && embedded.Verified ? 0 : 1;
    }

    /// <summary>One full measurement against the servers of <paramref name="profile"/> (N silos in the cluster), its RESULT line printed.</summary>
    private static async Task<Outcome> MeasureAsync(Settings s, string profile, int silos)
    {
        Console.WriteLine($"Cirt ingest benchmark ({profile}{(profile == "cluster" ? $", {silos} silo(s)" : "")}): " +
                          $"{s.Events:N0} events in batches of {s.BatchSize}, {s.Streams} streams x {s.Window} in flight, {s.Stakeholders} stakeholders");
        var generator = new EventGenerator(s.Stakeholders, seed: 20261124);
        var runTag = Guid.NewGuid().ToString("N")[..8];
        // Warm both servers up (JIT, connections, caches) with a few batches before measuring.
        var warmUp = Enumerable.Range(0, s.Streams).Select(_ => (IReadOnlyList<EventBatch>)[generator.Batch(runTag, s.BatchSize), generator.Batch(runTag, s.BatchSize)]).ToArray();
        var perStream = Enumerable.Range(0, s.Streams).Select(_ => new List<EventBatch>()).ToArray();
        long resent = 0;
        for (var i = 0; i < s.Events / s.BatchSize; i++)
        {
            var stream = perStream[i % s.Streams];
            stream.Add(generator.Batch(runTag, s.BatchSize));
            // One batch in twenty is sent again up to ten batches later on its stream, as by a producer
            // that lost its acknowledgements: every event of it must be recognised as resent, none
            // stored twice.
            if (i % 20 == 19)
            {
                stream.Add(stream[^Math.Min(10, stream.Count)]);
                resent += stream[^1].Events.Count;
            }
        }

        // Duplicates are verified exactly, so the server must remember every target of the run (the
        // ones generated, and at most one per latency event): with a full window, the order in which
        // concurrent streams reach the log would decide which repeats it forgets. The bound itself
        // (Cirt:Ingest:DuplicateWindowTargets) is unit-tested.
        var duplicateTargets = (int)Math.Min(int.MaxValue, (2 * (generator.DistinctTargets + ((long)s.Rate * (s.LatencyWarmUpSeconds + s.LatencySeconds)))) + 2);
        await using var servers = s.Target is not null
            ? BenchServers.Running(s.Target, s.Key ?? throw new ArgumentException("--key is required with --target"))
            : profile == "cluster" ? await BenchServers.ClusterAsync(silos, duplicateTargets) : BenchServers.Embedded(duplicateTargets);
        var server = servers.Primary;
        if (server is not null)
        {
            Console.WriteLine($"server: remembers up to {duplicateTargets:N0} targets for duplicates ({generator.DistinctTargets:N0} distinct generated)");
        }
        else
        {
            Console.WriteLine($"note: duplicates verify exactly only if the target server's Cirt:Ingest:DuplicateWindowTargets is at least {duplicateTargets:N0}");
        }

        var headers = new Metadata { { "authorization", "Bearer " + servers.Key } };
        var channels = servers.Urls.Select(url => GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 })).ToArray();
        using var channelsDisposed = new ChannelsDisposal(channels);
        var channel = channels[0];

        await LoadConstituencyAsync(channel, headers, s.Stakeholders);
        await GrantFeedsAsync(channel, headers);
        var ingest = new IngestService.IngestServiceClient(channel);
        var before = await ingest.GetIngestStatsAsync(new GetIngestStatsRequest(), headers);

        double noop;
        await using (var noOpServer = await NoOpServer.StartAsync(CirtProcess.FreePort()))
        using (var noOpChannel = GrpcChannel.ForAddress(noOpServer.Url))
        {
            await Drivers.MaxThroughputAsync(noOpChannel, headers, warmUp, s.Window);
            noop = await Drivers.MaxThroughputAsync(noOpChannel, headers, perStream, s.Window);
        }

        Console.WriteLine($"no-op server:     {noop,12:N0} events/s");
        await Drivers.MaxThroughputAsync(channels, headers, warmUp, s.Window);
        await SettleAsync(ingest, headers);
        using var sampling = new CancellationTokenSource();
        var rss = SampleRssAsync(server, TimeSpan.FromSeconds(5), sampling.Token);
        var endToEnd = System.Diagnostics.Stopwatch.StartNew();
        var throughput = await Drivers.MaxThroughputAsync(channels, headers, perStream, s.Window);
        var sent = perStream.Sum(b => b.Sum(x => (long)x.Events.Count));
        // The generated events (gigabytes at ten million) are sent: let them go, so that collecting
        // this process's own heap cannot pause the latency measurement below.
        Array.Clear(perStream);
        Console.WriteLine($"Cirt (durable):   {throughput,12:N0} events/s   ratio {throughput / noop:P1}");

        // Latency is measured on its own: after the aggregator has caught up with the maximum-throughput run.
        var drain = System.Diagnostics.Stopwatch.StartNew();
        await SettleAsync(ingest, headers);
        var aggregated = sent / endToEnd.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        var rssSeries = await rss;
        Console.WriteLine($"aggregation caught up {drain.Elapsed.TotalSeconds:N1} s after the last acknowledgement: " +
            $"{aggregated:N0} events/s acknowledged, routed, deduplicated and aggregated end to end");
        if (rssSeries.Count > 0)
        {
            Console.WriteLine($"server RSS every 5 s during the run and the catch-up (MiB): {string.Join(' ', rssSeries)}");
        }

        // The offered load runs for a warm-up first, unmeasured: the steady state at that rate (its
        // aggregation passes included), not the moments after the maximum-throughput run, while the
        // storage under the machine is still absorbing the gigabytes it wrote.
        const int LatencyBatch = 200;
        var warmUpBatches = Batches(s.LatencyWarmUpSeconds);
        var latencyBatches = Batches(s.LatencySeconds);
        EventBatch[] Batches(int seconds) => Enumerable.Range(0, Math.Max(1, s.Rate * seconds / LatencyBatch)).Select(_ => generator.Batch(runTag, LatencyBatch)).ToArray();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var warmUpLatencies = await Drivers.FixedRateAsync(channels, headers, warmUpBatches, s.Rate);
        Console.WriteLine($"ack latency during the {s.LatencyWarmUpSeconds} s warm-up at {s.Rate:N0} events/s (not counted): " +
            $"p50 {Drivers.Percentile(warmUpLatencies, 0.50):N1} ms, p99 {Drivers.Percentile(warmUpLatencies, 0.99):N1} ms");
        var writtenBefore = server?.WrittenMb() ?? 0;
        var latencies = await Drivers.FixedRateAsync(channels, headers, latencyBatches, s.Rate);
        var writtenDuring = (server?.WrittenMb() ?? 0) - writtenBefore;
        var p50 = Drivers.Percentile(latencies, 0.50);
        var p99 = Drivers.Percentile(latencies, 0.99);
        Console.WriteLine($"ack latency at {s.Rate:N0} events/s offered: p50 {p50:N1} ms, p99 {p99:N1} ms ({latencies.Length} batches of {LatencyBatch})");
        // When the slowest acknowledgements came tells what held them up (a burst at the start, or spread out).
        var slowest = latencies.Select((ms, n) => (Ms: ms, At: n * LatencyBatch / (double)s.Rate)).OrderByDescending(x => x.Ms).Take(5);
        if (server is not null)
        {
            // What else the disk had to do while acknowledgements waited for their fsync.
            Console.WriteLine($"server wrote {writtenDuring:N0} MiB to storage during the latency measurement");
        }

        Console.WriteLine($"slowest acknowledgements: {string.Join(", ", slowest.Select(x => $"{x.Ms:N1} ms at {x.At:N2} s"))}");

        var (verified, report) = await VerifyAsync(channel, headers, generator, resent, before);
        var peak = server?.PeakRssMb() ?? 0;
        Console.WriteLine(report);
        Console.WriteLine($"server peak RSS: {peak} MiB");

        // The baseline for the latency figures, measured in the same run, the server idle: an
        // acknowledgement can be no faster than the fsync of the disk it waits for.
        // A silo of the cluster keeps no files of its own: its folder is made for the probe.
        var probed = Directory.CreateDirectory(server?.DataDirectory ?? Path.GetTempPath()).FullName;
        var fsyncs = await DiskProbe.FsyncLatenciesAsync(probed, latencyBatches[0].CalculateSize(),
            TimeSpan.FromSeconds(LatencyBatch / (double)s.Rate), TimeSpan.FromSeconds(Math.Min(10, s.LatencySeconds)));
        var (fsyncP50, fsyncP99, fsyncP999) = (Drivers.Percentile(fsyncs, 0.50), Drivers.Percentile(fsyncs, 0.99), Drivers.Percentile(fsyncs, 0.999));
        Console.WriteLine($"disk baseline: fsync after a {latencyBatches[0].CalculateSize():N0}-byte append, p50 {fsyncP50:N2} ms, p99 {fsyncP99:N2} ms, " +
            $"p99.9 {fsyncP999:N1} ms, max {fsyncs.Max():N1} ms ({fsyncs.Length} at the latency pace" +
            (server is null ? ", in this machine's temporary folder: not necessarily the target server's disk)" : ", in the server's data folder)"));

        var result = new Dictionary<string, object>
        {
            ["events_per_s"] = Math.Round(throughput),
            ["noop_events_per_s"] = Math.Round(noop),
            ["ratio"] = Math.Round(throughput / noop, 3),
            ["p50_ms"] = Math.Round(p50, 2),
            ["p99_ms"] = Math.Round(p99, 2),
            ["warmup_p99_ms"] = Math.Round(Drivers.Percentile(warmUpLatencies, 0.99), 2),
            ["server_written_mb_during_latency"] = writtenDuring,
            ["server_peak_rss_mb"] = peak,
            ["disk_fsync_p50_ms"] = Math.Round(fsyncP50, 2),
            ["disk_fsync_p99_ms"] = Math.Round(fsyncP99, 2),
            ["disk_fsync_p999_ms"] = Math.Round(fsyncP999, 2),
            ["disk_fsync_max_ms"] = Math.Round(fsyncs.Max(), 2),
            ["aggregated_events_per_s"] = Math.Round(aggregated),
            ["server_rss_mb_every_5s"] = rssSeries,
            ["verified"] = verified,
            ["events"] = generator.Generated,
            ["resent_events"] = resent,
            ["batch_size"] = s.BatchSize,
            ["streams"] = s.Streams,
            ["window"] = s.Window,
            ["stakeholders"] = s.Stakeholders,
            ["profile"] = profile,
            ["silos"] = silos,
            ["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var results = Path.Combine(CirtProcess.RepositoryRoot(), "benchmarks", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, $"ingest-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss}.json"),
            JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {(profile == "cluster" ? $"profile=cluster silos={silos} " : "")}events_per_s={throughput:F0} noop_events_per_s={noop:F0} ratio={throughput / noop:F3} p50_ms={p50:F2} p99_ms={p99:F2} server_peak_rss_mb={peak} verified={(verified ? "true" : "false")}"));
        return new Outcome(throughput, p50, p99, verified);
    }

    /// <summary>What one measurement came to.</summary>
    private sealed record Outcome(double EventsPerSecond, double P50Ms, double P99Ms, bool Verified);

    /// <summary>Disposes the run's channels, one per server.</summary>
    private sealed class ChannelsDisposal(GrpcChannel[] channels) : IDisposable
    {
        public void Dispose()
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>The server's resident memory at a fixed interval until cancelled (nothing when targeting a running server).</summary>
    private static async Task<List<long>> SampleRssAsync(CirtProcess? server, TimeSpan interval, CancellationToken cancellationToken)
    {
        var series = new List<long>();
        if (server is null)
        {
            return series;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                series.Add(server.RssMb());
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the run.
        }

        return series;
    }

    private static async Task<(bool Verified, string Report)> VerifyAsync(
        GrpcChannel channel, Metadata headers, EventGenerator generator, long resent, GetIngestStatsResponse before)
    {
        var ingest = new IngestService.IngestServiceClient(channel);
        var deadline = DateTime.UtcNow.AddMinutes(10);
        GetIngestStatsResponse stats;
        while (true)
        {
            stats = await ingest.GetIngestStatsAsync(new GetIngestStatsRequest(), headers);
            if (stats.Backlog == 0 && stats.Total.Stored - before.Total.Stored >= generator.Generated)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                return (false, $"verification: aggregation did not catch up within 10 minutes (backlog {stats.Backlog})");
            }

            await Task.Delay(250);
        }

        var stored = stats.Total.Stored - before.Total.Stored;
        var duplicates = stats.Total.Duplicates - before.Total.Duplicates;
        var unmatched = stats.Total.Unmatched - before.Total.Unmatched;
        var recognised = stats.Total.Resent - before.Total.Resent;
        var incidents = new IncidentService.IncidentServiceClient(channel);
        var mismatches = new List<string>();
        var incidentCount = 0;
        for (var i = 0; i < generator.Stakeholders; i++)
        {
            var list = await incidents.ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = EventGenerator.IdOf(i), PageSize = 500 }, headers);
            long events = 0;
            foreach (var summary in list.Incidents)
            {
                var incident = (await incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = summary.TrackingId }, headers)).Incident;
                if (incident.Origin == "ingest")
                {
                    events += incident.EventCount;
                    incidentCount++;
                }
            }

            if (events != generator.RoutedPerStakeholder[i])
            {
                mismatches.Add($"{EventGenerator.IdOf(i)}: {events} events in incidents, {generator.RoutedPerStakeholder[i]} sent");
            }
        }

        var verified = stored == generator.Generated && duplicates == generator.Duplicates && unmatched == generator.Unmatched
                       && recognised == resent && incidentCount == generator.ExpectedIncidents && mismatches.Count == 0;
        var report = $"verification: stored {stored:N0}/{generator.Generated:N0}, duplicates {duplicates:N0}/{generator.Duplicates:N0}, "
                     + $"unmatched {unmatched:N0}/{generator.Unmatched:N0}, resent {recognised:N0}/{resent:N0}, incidents {incidentCount:N0}/{generator.ExpectedIncidents:N0}, "
                     + $"per-stakeholder mismatches {mismatches.Count}" + (mismatches.Count > 0 ? ": " + string.Join("; ", mismatches.Take(5)) : "")
                     + (verified ? " -> exact" : " -> WRONG");
        return (verified, report);
    }

    private static async Task SettleAsync(IngestService.IngestServiceClient ingest, Metadata headers)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while ((await ingest.GetIngestStatsAsync(new GetIngestStatsRequest(), headers)).Backlog > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Registers the generator's feeds as NATIONAL feeds (they report about every stakeholder) and
    /// grants them to the producer's key, through the API as a coordinator would; both are done
    /// before the clock starts, and a national feed costs the accept path one look-up per batch.
    /// </summary>
    internal static async Task GrantFeedsAsync(GrpcChannel channel, Metadata headers)
    {
        var feeds = new FeedService.FeedServiceClient(channel);
        var keyId = (await new KeyService.KeyServiceClient(channel).WhoAmIAsync(new WhoAmIRequest(), headers)).Key.KeyId;
        foreach (var feed in EventGenerator.Feeds)
        {
            try
            {
                await feeds.RegisterFeedAsync(new RegisterFeedRequest
                {
                    Name = feed, Settings = new FeedSettings { Trust = FeedTrust.National, Description = "ingest benchmark" },
                }, headers);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
            }

            await feeds.GrantFeedAsync(new GrantFeedRequest { Name = feed, KeyId = keyId }, headers);
        }

        Console.WriteLine($"feeds: {string.Join(", ", EventGenerator.Feeds)} (national), granted to key {keyId}");
    }

    internal static async Task LoadConstituencyAsync(GrpcChannel channel, Metadata headers, int count)
    {
        var client = new StakeholderService.StakeholderServiceClient(channel);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var stakeholder = new Stakeholder
            {
                Id = EventGenerator.IdOf(i),
                Name = $"Benchmark Operator {i}",
                Type = StakeholderType.Isp,
                Country = "LU",
                Nis2EntityClass = Nis2EntityClass.Important,
                SectorCodes = { "DIGITAL_INFRASTRUCTURE" },
                Constituency = new Constituency { IpPrefixes = { EventGenerator.PrefixOf(i) }, Asns = { (uint)(4_200_000_000 + i) } },
            };
            try
            {
                await client.CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder }, headers);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
            }
        });
        Console.WriteLine($"constituency: {count} stakeholders, one /20 each");
    }

    /// <param name="Profile">"embedded" (the default), or "cluster": N silos as server processes, measured after the embedded profile in the same run.</param>
    /// <param name="Silos">Silos of the cluster profile.</param>
    public sealed record Settings(
        int Events, int BatchSize, int Streams, int Window, int Stakeholders, int Rate, int LatencyWarmUpSeconds, int LatencySeconds, string? Target, string? Key,
        string Profile = "embedded", int Silos = 1);
}
