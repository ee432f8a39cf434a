using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Cirt.Contracts.V1;
using Cirt.Grains.Common;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cirt.Benchmarks.Ingest;

/// <summary>
/// The ingest log's append path on its own, the embedded file against the cluster's PostgreSQL in
/// the same run: the server's own group commit (<see cref="IngestLog"/>) over each store, fed the
/// same batches by producers that each keep a window of batches waiting for their acknowledgement
/// (acknowledged = committed). In the cluster, several silos' logs append to the one database at
/// once. Then the acknowledgement latency at a fixed offered rate, and the log read back in order:
/// every acknowledged batch, each once, no position skipped.
/// </summary>
public static class IngestLogBenchmark
{
    public static async Task<int> RunAsync(Settings s)
    {
        Console.WriteLine($"Cirt ingest log benchmark: {s.Events:N0} events in batches of {s.BatchSize}, {s.Producers} producers x {s.Window} in flight; " +
                          $"latency at {s.Rate:N0} events/s for {s.LatencySeconds} s; cluster with {string.Join(" and ", s.Silos)} silo(s)");
        var generator = new EventGenerator(1_000, seed: 20261201);
        var runTag = Guid.NewGuid().ToString("N")[..8];
        var batches = Enumerable.Range(0, s.Events / s.BatchSize).Select(_ => generator.Batch(runTag, s.BatchSize)).ToArray();
        var paced = Enumerable.Range(0, Math.Max(1, s.Rate * s.LatencySeconds / LatencyBatch)).Select(_ => generator.Batch(runTag, LatencyBatch)).ToArray();
        var warmUp = batches.Take(Math.Min(batches.Length, 50)).ToArray();

        var embedded = await MeasureEmbeddedAsync(s, batches, paced, warmUp);
        Report("embedded", 1, embedded, embedded);
        var results = new List<(int Silos, Figures Figures)>();
        foreach (var silos in s.Silos)
        {
            var cluster = await MeasureClusterAsync(s, silos, batches, paced, warmUp);
            Report("cluster", silos, cluster, embedded);
            results.Add((silos, cluster));
        }

        var verified = embedded.Verified && results.All(r => r.Figures.Verified);
        var json = new Dictionary<string, object>
        {
            ["embedded"] = embedded,
            ["cluster"] = results.ToDictionary(r => r.Silos.ToString(CultureInfo.InvariantCulture), r => r.Figures),
            ["events"] = s.Events, ["batch_size"] = s.BatchSize, ["producers"] = s.Producers, ["window"] = s.Window, ["rate"] = s.Rate,
            ["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var folder = Path.Combine(CirtProcess.RepositoryRoot(), "benchmarks", "results");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"ingest-log-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss}.json"),
            JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        foreach (var (silos, figures) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT profile=cluster silos={silos} events_per_s={figures.EventsPerSecond:F0} embedded_events_per_s={embedded.EventsPerSecond:F0} " +
                $"ratio={figures.EventsPerSecond / embedded.EventsPerSecond:F3} p50_ms={figures.P50Ms:F2} p99_ms={figures.P99Ms:F2} " +
                $"embedded_p99_ms={embedded.P99Ms:F2} verified={(figures.Verified && embedded.Verified ? "true" : "false")}"));
        }

        return verified ? 0 : 1;
    }

    private const int LatencyBatch = 200;

    private static async Task<Figures> MeasureEmbeddedAsync(Settings s, EventBatch[] batches, EventBatch[] paced, EventBatch[] warmUp)
    {
        var folder = Directory.CreateTempSubdirectory("cirt-bench-log-").FullName;
        try
        {
            using var database = IngestDatabase.Create(folder);
            var store = new SqliteIngestLogStore(database, CirtClock.SystemClock, NullLogger<IngestLog>.Instance);
            return await MeasureAsync(s, [store], store, batches, paced, warmUp);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Figures> MeasureClusterAsync(Settings s, int silos, EventBatch[] batches, EventBatch[] paced, EventBatch[] warmUp)
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";
        var name = "cirtbench" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server, $"CREATE DATABASE {name};");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
            var scripts = Path.Combine(AppContext.BaseDirectory, "sql", "postgresql");
            // A database handle (its own connection pool) per silo, as separate processes would have.
            var databases = Enumerable.Range(0, silos).Select(_ => PostgresDatabase.Open(connection, scripts)).ToArray();
            try
            {
                var stores = databases.Select(d => (IIngestLogStore)new PostgresIngestLogStore(d, CirtClock.SystemClock)).ToArray();
                return await MeasureAsync(s, stores, stores[0], batches, paced, warmUp);
            }
            finally
            {
                foreach (var database in databases)
                {
                    database.Dispose();
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        }
    }

    /// <summary>A log per silo over <paramref name="stores"/>; producers spread over them; the log read back through <paramref name="reader"/>.</summary>
    private static async Task<Figures> MeasureAsync(Settings s, IIngestLogStore[] stores, IIngestLogStore reader, EventBatch[] batches, EventBatch[] paced, EventBatch[] warmUp)
    {
        using var metrics = new MeterFactory();
        var options = Options.Create(new IngestOptions());
        var logs = stores.Select(store => new IngestLog(store, options, new IngestMeter(metrics, CirtClock.SystemClock), NullLogger<IngestLog>.Instance)).ToArray();
        foreach (var log in logs)
        {
            await log.StartAsync(CancellationToken.None);
        }

        try
        {
            var acknowledged = new List<long>();
            await ProduceAsync(logs, warmUp, s.Producers, s.Window, acknowledged);
            var clock = Stopwatch.StartNew();
            var events = await ProduceAsync(logs, batches, s.Producers, s.Window, acknowledged);
            var throughput = events / clock.Elapsed.TotalSeconds;

            // Open loop at the offered rate, a batch every LatencyBatch / Rate seconds, spread over the silos.
            var interval = TimeSpan.FromSeconds(LatencyBatch / (double)s.Rate);
            var pacing = Stopwatch.StartNew();
            var calls = new List<Task<(double Ms, long Seq)>>(paced.Length);
            for (var i = 0; i < paced.Length; i++)
            {
                var wait = interval * i - pacing.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var (log, batch) = (logs[i % logs.Length], paced[i]);
                calls.Add(Task.Run(async () =>
                {
                    var sent = Stopwatch.GetTimestamp();
                    var seq = await AppendAsync(log, batch);
                    return (Stopwatch.GetElapsedTime(sent).TotalMilliseconds, seq);
                }));
            }

            var latencies = await Task.WhenAll(calls);
            acknowledged.AddRange(latencies.Select(l => l.Seq));
            var ms = latencies.Select(l => l.Ms).ToArray();
            var expected = warmUp.Sum(b => (long)b.Events.Count) + events + paced.Sum(b => (long)b.Events.Count);
            var (verified, report) = await VerifyAsync(reader, acknowledged, expected);
            Console.WriteLine(report);
            return new Figures(Math.Round(throughput), Math.Round(Drivers.Percentile(ms, 0.50), 2), Math.Round(Drivers.Percentile(ms, 0.99), 2), verified);
        }
        finally
        {
            foreach (var log in logs)
            {
                await log.StopAsync(CancellationToken.None);
                log.Dispose();
            }
        }
    }

    /// <summary>Every batch through the logs, <paramref name="producers"/> at a time, each with up to <paramref name="window"/> unacknowledged; the events acknowledged.</summary>
    private static async Task<long> ProduceAsync(IngestLog[] logs, EventBatch[] batches, int producers, int window, List<long> acknowledged)
    {
        var next = -1;
        var results = await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var log = logs[p % logs.Length];
            var inFlight = new Queue<Task<long>>();
            var seqs = new List<long>();
            long events = 0;
            for (var i = Interlocked.Increment(ref next); i < batches.Length; i = Interlocked.Increment(ref next))
            {
                if (inFlight.Count == window)
                {
                    seqs.Add(await inFlight.Dequeue());
                }

                inFlight.Enqueue(AppendAsync(log, batches[i]));
                events += batches[i].Events.Count;
            }

            while (inFlight.Count > 0)
            {
                seqs.Add(await inFlight.Dequeue());
            }

            return (events, seqs);
        })));
        lock (acknowledged)
        {
            acknowledged.AddRange(results.SelectMany(r => r.seqs));
        }

        return results.Sum(r => r.events);
    }

    private static async Task<long> AppendAsync(IngestLog log, EventBatch batch)
    {
        var pending = new PendingBatch("bench", batch, "");
        if (!await log.TryEnqueueAsync(pending, CancellationToken.None))
        {
            throw new InvalidOperationException("The ingest log's queue stayed full for its whole enqueue timeout.");
        }

        return await pending.Durable.Task;
    }

    /// <summary>Reads the whole log back in order, going on from the last position seen, as the aggregator does: every acknowledged position, each once, and every event.</summary>
    private static async Task<(bool Verified, string Report)> VerifyAsync(IIngestLogStore reader, List<long> acknowledged, long expectedEvents)
    {
        var seen = new List<long>();
        long events = 0;
        for (var after = 0L; ;)
        {
            var read = await reader.ReadAsync(after, long.MaxValue, 200_000, CancellationToken.None);
            if (read.Count == 0)
            {
                break;
            }

            foreach (var batch in read)
            {
                seen.Add(batch.Seq);
                events += EventBatch.Parser.ParseFrom(batch.Events, 0, batch.Length).Events.Count;
                ArrayPool<byte>.Shared.Return(batch.Events);
            }

            after = read[^1].Seq;
        }

        var ordered = acknowledged.Order().ToArray();
        var verified = events == expectedEvents && seen.SequenceEqual(ordered) && ordered.SequenceEqual(Enumerable.Range(1, ordered.Length).Select(i => (long)i));
        return (verified, $"verification: {seen.Count:N0} batches read back in order of {acknowledged.Count:N0} acknowledged, {events:N0}/{expectedEvents:N0} events" +
                          (verified ? " -> exact" : " -> WRONG"));
    }

    private static void Report(string profile, int silos, Figures figures, Figures embedded) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{profile,-8} {silos} silo(s): {figures.EventsPerSecond,10:N0} events/s acknowledged (x{figures.EventsPerSecond / embedded.EventsPerSecond:F2} of embedded), " +
            $"ack p50 {figures.P50Ms:N1} ms, p99 {figures.P99Ms:N1} ms"));

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What one profile measured.</summary>
    public sealed record Figures(double EventsPerSecond, double P50Ms, double P99Ms, bool Verified);

    public sealed record Settings(int Events, int BatchSize, int Producers, int Window, int Rate, int LatencySeconds, int[] Silos);

    /// <summary>Meters for the logs' own instruments, nothing listening.</summary>
    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
