using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.Benchmarks.Ingest;

/// <summary>
/// Retention under load: the real server with a short retention (Cirt:Retention:*), fed at a fixed
/// rate for longer than that retention. Every few seconds it reports the sizes of the data files, so
/// that a long run shows them level off; and it measures acknowledgement latency before anything is
/// old enough to prune (the pruner runs, finds nothing) and once it deletes rows every pass, in the
/// same run, on the same server.
/// </summary>
public static partial class RetentionBenchmark
{
    private const int BatchSize = 200;
    private const int SampleSeconds = 5;
    private static readonly string[] Files = ["ingest.db", "ingest.db-wal", "ingest-state.db", "ingest-state.db-wal", "cirt.db", "cirt.db-wal"];

    public static async Task<int> RunAsync(Settings s)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, s.Retention.TotalSeconds / 6));
        Console.WriteLine($"Cirt retention benchmark: {s.Rate:N0} events/s for {s.Seconds} s in batches of {BatchSize}, retention {s.Retention} " +
                          $"(log, unmatched events and resend keys), pruned every {interval.TotalSeconds:N0} s, {s.Stakeholders} stakeholders");
        var retention = s.Retention.ToString("c", CultureInfo.InvariantCulture);
        using var server = CirtProcess.Start(CirtProcess.ServerDll(), new Dictionary<string, string>
        {
            ["Cirt__Retention__IngestLog"] = retention,
            ["Cirt__Retention__Unmatched"] = retention,
            ["Cirt__Retention__ResendKeys"] = retention,
            ["Cirt__Retention__Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Cirt.Server.Ingest.IngestPruner"] = "Information",
        });
        var run = Stopwatch.StartNew();
        var passes = new ConcurrentQueue<(double At, long Batches, long Unmatched, long Runs, long Pages, long Ms)>();
        server.OnOutput(line =>
        {
            if (PrunedLine().Match(line) is { Success: true } m)
            {
                passes.Enqueue((run.Elapsed.TotalSeconds, Long(m, 1), Long(m, 2), Long(m, 3), Long(m, 4), Long(m, 5)));
            }
        });

        var headers = new Metadata { { "authorization", "Bearer " + server.BootstrapKey } };
        using var channel = GrpcChannel.ForAddress(server.Url);
        await IngestBenchmark.LoadConstituencyAsync(channel, headers, s.Stakeholders);
        await IngestBenchmark.GrantFeedsAsync(channel, headers);
        var ingest = new IngestService.IngestServiceClient(channel);
        var generator = new EventGenerator(s.Stakeholders, seed: 20261130);
        var runTag = Guid.NewGuid().ToString("N")[..8];

        using var sampling = new CancellationTokenSource();
        var sizes = SampleSizesAsync(server.DataDirectory, run, sampling.Token);
        run.Restart();
        var latencies = await FixedRateAsync(ingest, headers, generator, runTag, s.Rate, TimeSpan.FromSeconds(s.Seconds));
        await sampling.CancelAsync();
        await sizes;

        // Before the retention has passed nothing is old enough: the pruner runs and deletes nothing.
        // From one interval after it, every pass deletes what fell out of the retention meanwhile.
        var warmUp = 5.0;
        var withoutPruning = latencies.Where(l => l.At >= warmUp && l.At < s.Retention.TotalSeconds).Select(l => l.Ms).ToArray();
        var withPruning = latencies.Where(l => l.At >= s.Retention.TotalSeconds + interval.TotalSeconds).Select(l => l.Ms).ToArray();
        Console.WriteLine($"ack latency before anything is old enough to prune ({warmUp:N0}-{s.Retention.TotalSeconds:N0} s): {Summary(withoutPruning)}");
        Console.WriteLine($"ack latency while pruning ({s.Retention.TotalSeconds + interval.TotalSeconds:N0}-{s.Seconds} s): {Summary(withPruning)}");
        // Sharper: the acknowledgements that were outstanding while a pass deleted rows (the pass ends
        // when its line is read; it began its duration earlier) against all the others of that phase.
        var deleting = passes.Where(p => p.Batches + p.Unmatched + p.Runs + p.Pages > 0).Select(p => (From: p.At - (p.Ms / 1000.0), To: p.At)).ToArray();
        var phase = latencies.Where(l => l.At >= s.Retention.TotalSeconds + interval.TotalSeconds).ToArray();
        bool During((double At, double Ms) l) => deleting.Any(d => l.At < d.To && l.At + (l.Ms / 1000.0) > d.From);
        Console.WriteLine($"  of those, outstanding while a pass deleted rows: {Summary(phase.Where(During).Select(l => l.Ms).ToArray())}");
        Console.WriteLine($"  of those, all the others:                       {Summary(phase.Where(l => !During(l)).Select(l => l.Ms).ToArray())}");
        foreach (var pass in passes.Where(p => p.Batches + p.Unmatched + p.Runs + p.Pages > 0))
        {
            Console.WriteLine($"  pruning pass at {pass.At,5:N0} s: {pass.Batches:N0} log batches, {pass.Unmatched:N0} unmatched events, " +
                              $"{pass.Runs:N0} resend key runs, {pass.Pages:N0} pages given back, in {pass.Ms:N0} ms");
        }

        var stats = await ingest.GetIngestStatsAsync(new GetIngestStatsRequest(), headers);
        Console.WriteLine($"stats: stored {stats.Total.Stored:N0} (generated {generator.Generated:N0}), unmatched {stats.Total.Unmatched:N0}, backlog {stats.Backlog}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT retention_s={s.Retention.TotalSeconds:F0} rate={s.Rate} p99_ms_without_pruning={Percentile(withoutPruning, 0.99):F2} p99_ms_with_pruning={Percentile(withPruning, 0.99):F2} pruning_passes={passes.Count(p => p.Batches > 0)}"));
        return 0;
    }

    /// <summary>Open loop: one batch every BatchSize / rate seconds, made just before it is due; each batch's send time and latency.</summary>
    private static async Task<List<(double At, double Ms)>> FixedRateAsync(
        IngestService.IngestServiceClient client, Metadata headers, EventGenerator generator, string runTag, int rate, TimeSpan duration)
    {
        var every = TimeSpan.FromSeconds(BatchSize / (double)rate);
        var clock = Stopwatch.StartNew();
        var calls = new List<Task<(double, double)>>();
        for (var i = 0; every * i < duration; i++)
        {
            var batch = generator.Batch(runTag, BatchSize);
            var wait = (every * i) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            calls.Add(Task.Run(async () =>
            {
                var at = clock.Elapsed.TotalSeconds;
                var sent = Stopwatch.GetTimestamp();
                await client.PublishAsync(new PublishRequest { Batch = batch }, headers);
                return (at, Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }));
        }

        return [.. await Task.WhenAll(calls)];
    }

    private static async Task SampleSizesAsync(string folder, Stopwatch run, CancellationToken cancellationToken)
    {
        Console.WriteLine($"{"t (s)",6} " + string.Join(" ", Files.Select(f => $"{f,20}")) + "  (MiB)");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(SampleSeconds));
        try
        {
            do
            {
                var sizes = Files.Select(f => new FileInfo(Path.Combine(folder, f)) is { Exists: true } file ? file.Length / (1024.0 * 1024) : 0);
                Console.WriteLine($"{run.Elapsed.TotalSeconds,6:N0} " + string.Join(" ", sizes.Select(size => $"{size,20:N1}")));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the run.
        }
    }

    private static string Summary(double[] ms) => ms.Length == 0
        ? "no acknowledgements in this phase (run longer)"
        : $"p50 {Percentile(ms, 0.50):N1} ms, p99 {Percentile(ms, 0.99):N1} ms, max {ms.Max():N1} ms ({ms.Length:N0} batches)";

    private static double Percentile(double[] ms, double p) => ms.Length == 0 ? double.NaN : Drivers.Percentile(ms, p);

    private static long Long(Match m, int group) => long.Parse(m.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Ingest retention pruned ([\d,]+) log batches, ([\d,]+) unmatched events and ([\d,]+) resend key runs and gave back ([\d,]+) free pages in ([\d,]+) ms")]
    private static partial Regex PrunedLine();

    /// <summary>How long the data is kept, the load, for how long, over how many stakeholders.</summary>
    public sealed record Settings(TimeSpan Retention, int Rate, int Seconds, int Stakeholders);
}
