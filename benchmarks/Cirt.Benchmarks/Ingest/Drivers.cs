using System.Diagnostics;
using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.Benchmarks.Ingest;

/// <summary>The two ways of loading a server: as fast as it acknowledges, and at a fixed offered rate.</summary>
public static class Drivers
{
    /// <summary>
    /// Sends pre-generated batches over <paramref name="streams"/> bidirectional streams, each
    /// keeping up to <paramref name="window"/> batches unacknowledged; returns events acknowledged per second.
    /// </summary>
    public static Task<double> MaxThroughputAsync(GrpcChannel channel, Metadata headers, IReadOnlyList<EventBatch>[] perStream, int window) =>
        MaxThroughputAsync([channel], headers, perStream, window);

    /// <summary>As above, stream i to server i modulo the number of <paramref name="channels"/> (the silos of a cluster).</summary>
    public static async Task<double> MaxThroughputAsync(GrpcChannel[] channels, Metadata headers, IReadOnlyList<EventBatch>[] perStream, int window)
    {
        var clients = channels.Select(channel => new IngestService.IngestServiceClient(channel)).ToArray();
        var clock = Stopwatch.StartNew();
        var acked = await Task.WhenAll(perStream.Select(async (batches, i) =>
        {
            using var call = clients[i % clients.Length].Stream(headers);
            using var credits = new SemaphoreSlim(window);
            long events = 0;
            var reading = Task.Run(async () =>
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync())
                {
                    events += response.Ack.AcceptedCount + response.Ack.Rejected.Count;
                    credits.Release();
                }
            });
            foreach (var batch in batches)
            {
                await credits.WaitAsync();
                await call.RequestStream.WriteAsync(new StreamRequest { Batch = batch });
            }

            await call.RequestStream.CompleteAsync();
            await reading;
            return events;
        }));
        clock.Stop();
        return acked.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Open loop: one batch every <c>batchSize / eventsPerSecond</c> seconds, whatever the answers
    /// do; returns each batch's acknowledgement latency in milliseconds.
    /// </summary>
    public static Task<double[]> FixedRateAsync(GrpcChannel channel, Metadata headers, IReadOnlyList<EventBatch> batches, int eventsPerSecond) =>
        FixedRateAsync([channel], headers, batches, eventsPerSecond);

    /// <summary>As above, batch i to server i modulo the number of <paramref name="channels"/>.</summary>
    public static async Task<double[]> FixedRateAsync(GrpcChannel[] channels, Metadata headers, IReadOnlyList<EventBatch> batches, int eventsPerSecond)
    {
        var clients = channels.Select(channel => new IngestService.IngestServiceClient(channel)).ToArray();
        var interval = TimeSpan.FromSeconds(batches[0].Events.Count / (double)eventsPerSecond);
        var clock = Stopwatch.StartNew();
        var calls = new List<Task<double>>(batches.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var (batch, client) = (batches[i], clients[i % clients.Length]);
            calls.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                await client.PublishAsync(new PublishRequest { Batch = batch }, headers);
                return Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }));
        }

        return await Task.WhenAll(calls);
    }

    public static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
