using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cirt.Benchmarks.Ingest;
using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.Benchmarks.Inbox;

/// <summary>
/// What open inbox streams cost everyone else: the coordinator's ListIncidents latency against the
/// real server with no stream open, then with many (spread over keys, within the per-key limit),
/// in the same run, under the same light background of new incidents; and how fast those new
/// incidents reach the streams they concern, every delivery checked.
/// </summary>
public static class InboxStreamsBenchmark
{
    public sealed record Settings(int Streams, int StreamsPerKey, int Incidents, int Seconds, int ProbeIntervalMs);

    public static async Task<int> RunAsync(Settings s)
    {
        var keys = (s.Streams + s.StreamsPerKey - 1) / s.StreamsPerKey;
        Console.WriteLine($"Cirt inbox-streams benchmark: ListIncidents with 0 and with {s.Streams:N0} open FollowInbox streams " +
            $"({keys:N0} operator keys, {s.StreamsPerKey} streams each), {s.Incidents:N0} incidents, calls back to back for {s.Seconds} s per phase, " +
            $"a new incident every {s.ProbeIntervalMs} ms throughout");
        using var server = CirtProcess.Start(CirtProcess.ServerDll(), new Dictionary<string, string>
        {
            ["Cirt__Security__StreamsPerKey"] = s.StreamsPerKey.ToString(CultureInfo.InvariantCulture),
            ["Cirt__Security__StreamsTotal"] = Math.Max(1_000, s.Streams).ToString(CultureInfo.InvariantCulture),
            // Each seeded incident checks its deadlines every minute by default: 2,000 reminder ticks a
            // minute would blur the idle figures, which are about the streams.
            ["Cirt__Deadlines__CheckPeriod"] = "01:00:00",
        });
        var coordinator = new Metadata { { "authorization", "Bearer " + server.BootstrapKey } };
        using var channel = GrpcChannel.ForAddress(server.Url, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
        var incidents = new IncidentService.IncidentServiceClient(channel);
        var reporting = new ReportingService.ReportingServiceClient(channel);

        var stakeholders = (await new StakeholderService.StakeholderServiceClient(channel)
            .ListStakeholdersAsync(new ListStakeholdersRequest { PageSize = 500 }, coordinator)).Stakeholders.Select(x => x.Id).ToArray();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, s.Incidents), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await reporting.SubmitIncidentAsync(Report(stakeholders, i, $"Seeded incident {i}"), coordinator, cancellationToken: ct));
        Console.WriteLine($"seeded {s.Incidents:N0} incidents over {stakeholders.Length} stakeholders in {clock.Elapsed.TotalSeconds:N1} s");

        var keyService = new KeyService.KeyServiceClient(channel);
        var operators = new List<(string Key, string StakeholderId)>();
        for (var k = 0; k < keys; k++)
        {
            var stakeholderId = stakeholders[k % stakeholders.Length];
            var issued = await keyService.IssueKeyAsync(new IssueKeyRequest { Name = $"bench-{k}", Role = Role.Operator, StakeholderId = stakeholderId }, coordinator);
            operators.Add((issued.ApiKey, stakeholderId));
        }

        // The baseline: no stream open. Idle CPU is taken after it, once the server has settled after the seeding.
        var probes = new Probes(stakeholders);
        var (before, cpuBefore) = await MeasureAsync(server, incidents, reporting, coordinator, probes, s);
        Print("ListIncidents, no stream open:", before);
        var cpuIdleWithout = await IdleCpuAsync(server);
        Console.WriteLine($"server CPU idle, no stream open: {cpuIdleWithout:P1} of a core");

        // Open the streams: one channel (connection) per key, as each organisation's client would, each read to its end.
        var channels = operators.Select(_ => GrpcChannel.ForAddress(server.Url)).ToArray();
        using var closing = new CancellationTokenSource();
        var readers = new List<Task>();
        var opened = new ConcurrentBag<int>();
        clock.Restart();
        var cpu = server.CpuSeconds();
        await Parallel.ForEachAsync(Enumerable.Range(0, s.Streams), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, _) =>
        {
            var k = n / s.StreamsPerKey;
            var headers = new Metadata { { "authorization", "Bearer " + operators[k].Key } };
            var call = new InboxService.InboxServiceClient(channels[k]).FollowInbox(new FollowInboxRequest(), headers, cancellationToken: closing.Token);
            var items = 0;
            while (await call.ResponseStream.MoveNext(closing.Token) && call.ResponseStream.Current.Item.Kind != InboxItemKind.Live)
            {
                items++;
            }

            opened.Add(items);
            lock (readers)
            {
                readers.Add(probes.ReadAsync(call, operators[k].StakeholderId, closing.Token));
            }
        });
        Console.WriteLine($"opened {s.Streams:N0} streams on {keys:N0} keys in {clock.Elapsed.TotalSeconds:N1} s " +
            $"({opened.Sum():N0} items sent as they opened, {(server.CpuSeconds() - cpu) / clock.Elapsed.TotalSeconds:P0} of a core meanwhile)");
        var refused = await OneStreamTooManyAsync(channels[0], operators[0].Key);
        Console.WriteLine($"stream {s.StreamsPerKey + 1} of a key: {refused}");

        // Idle streams: what they cost with nothing happening.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cpuIdle = await IdleCpuAsync(server);
        Console.WriteLine($"server CPU idle, {s.Streams:N0} streams open: {cpuIdle:P1} of a core");

        probes.Follow = true;
        var (with, cpuWith) = await MeasureAsync(server, incidents, reporting, coordinator, probes, s);
        probes.Follow = false;
        Print($"ListIncidents, {s.Streams:N0} streams open:", with);

        var streamsOf = operators.Select((o, k) => (o.StakeholderId, Streams: Math.Min(s.StreamsPerKey, s.Streams - (k * s.StreamsPerKey))))
            .GroupBy(o => o.StakeholderId).ToDictionary(g => g.Key, g => g.Sum(o => o.Streams));
        var (delivered, expected, deliveries) = await probes.AwaitDeliveriesAsync(streamsOf, TimeSpan.FromSeconds(15));
        await closing.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var c in channels)
        {
            c.Dispose();
        }

        // And once more without, so that a drift of the machine over the run shows.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (after, cpuAfter) = await MeasureAsync(server, incidents, reporting, coordinator, probes, s);
        Print("ListIncidents, streams closed again:", after);
        double[] without = [.. before, .. after];
        var cpuWithout = (cpuBefore + cpuAfter) / 2;

        var (p50Without, p99Without) = (Percentile(without, 0.50), Percentile(without, 0.99));
        var (p50With, p99With) = (Percentile(with, 0.50), Percentile(with, 0.99));
        var verified = delivered == expected;
        Console.WriteLine($"with {s.Streams:N0} streams / without (both phases without together): p99 {p99With / p99Without:N2} ({p99With - p99Without:+0.00;-0.00} ms), " +
            $"p50 {p50With / p50Without:N2} ({p50With - p50Without:+0.00;-0.00} ms)");
        Console.WriteLine($"server CPU during the measurement: {cpuWithout:P0} of a core without streams, {cpuWith:P0} with");
        Console.WriteLine($"new incidents reached every stream of the organisation they affect: {delivered:N0}/{expected:N0} deliveries of {probes.FollowedCount} incidents" +
            (deliveries.Length > 0 ? $", p50 {Percentile(deliveries, 0.50):N0} ms, p99 {Percentile(deliveries, 0.99):N0} ms, max {deliveries.Max():N0} ms after SubmitIncident returned" : "") +
            (verified ? " -> all" : " -> MISSING"));

        var result = new Dictionary<string, object>
        {
            ["streams"] = s.Streams,
            ["keys"] = keys,
            ["streams_per_key"] = s.StreamsPerKey,
            ["incidents"] = s.Incidents,
            ["seconds_per_phase"] = s.Seconds,
            ["calls_without_streams"] = before.Length + after.Length,
            ["calls_with_streams"] = with.Length,
            ["p99_ms_before_streams"] = Math.Round(Percentile(before, 0.99), 2),
            ["p99_ms_after_streams"] = Math.Round(Percentile(after, 0.99), 2),
            ["p50_ms_without_streams"] = Math.Round(p50Without, 2),
            ["p99_ms_without_streams"] = Math.Round(p99Without, 2),
            ["p50_ms_with_streams"] = Math.Round(p50With, 2),
            ["p99_ms_with_streams"] = Math.Round(p99With, 2),
            ["p99_ratio"] = Math.Round(p99With / p99Without, 3),
            ["server_cpu_idle_without_streams"] = Math.Round(cpuIdleWithout, 3),
            ["server_cpu_idle_with_streams"] = Math.Round(cpuIdle, 3),
            ["server_cpu_without_streams"] = Math.Round(cpuWithout, 3),
            ["server_cpu_with_streams"] = Math.Round(cpuWith, 3),
            ["deliveries"] = delivered,
            ["deliveries_expected"] = expected,
            ["delivery_p50_ms"] = deliveries.Length > 0 ? Math.Round(Percentile(deliveries, 0.50), 1) : 0,
            ["delivery_p99_ms"] = deliveries.Length > 0 ? Math.Round(Percentile(deliveries, 0.99), 1) : 0,
            ["extra_stream_of_a_key"] = refused,
            ["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var results = Path.Combine(CirtProcess.RepositoryRoot(), "benchmarks", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, $"inbox-streams-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss}.json"),
            JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT streams={s.Streams} p50_ms_0={p50Without:F2} p99_ms_0={p99Without:F2} p50_ms_n={p50With:F2} p99_ms_n={p99With:F2} " +
            $"p99_ratio={p99With / p99Without:F3} idle_cpu_0={cpuIdleWithout:F3} idle_cpu_n={cpuIdle:F3} delivered={delivered}/{expected}"));
        return verified ? 0 : 1;
    }

    /// <summary>An incident one stakeholder reports and the next one in the list is affected by (AMBER: the affected one sees it).</summary>
    private static SubmitIncidentRequest Report(string[] stakeholders, int i, string title) => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        ReporterStakeholderId = stakeholders[i % stakeholders.Length],
        AffectedStakeholderIds = { stakeholders[(i + 1) % stakeholders.Length] },
        Title = title,
        Description = "Benchmark incident: phishing wave against the organisation's staff.",
        Tlp = Tlp.Amber,
    };

    /// <summary>
    /// One measured phase: a short warm-up, then ListIncidents back to back while new incidents are
    /// submitted in the background; the latencies and the server's CPU as a share of one core.
    /// </summary>
    private static async Task<(double[] Latencies, double Cpu)> MeasureAsync(
        CirtProcess server, IncidentService.IncidentServiceClient incidents, ReportingService.ReportingServiceClient reporting,
        Metadata coordinator, Probes probes, Settings s)
    {
        await ListIncidentsAsync(incidents, coordinator, TimeSpan.FromSeconds(2));
        var cpu = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        using var background = new CancellationTokenSource();
        var probing = probes.RunAsync(reporting, coordinator, s.ProbeIntervalMs, background.Token);
        var latencies = await ListIncidentsAsync(incidents, coordinator, TimeSpan.FromSeconds(s.Seconds));
        await background.CancelAsync();
        await probing;
        return (latencies, (server.CpuSeconds() - cpu) / clock.Elapsed.TotalSeconds);
    }

    /// <summary>The coordinator's first page of the queue, one call after the other for <paramref name="duration"/>; each call's latency in ms.</summary>
    private static async Task<double[]> ListIncidentsAsync(IncidentService.IncidentServiceClient client, Metadata headers, TimeSpan duration)
    {
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var sent = Stopwatch.GetTimestamp();
            await client.ListIncidentsAsync(new ListIncidentsRequest { PageSize = 50 }, headers);
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        return [.. latencies];
    }

    /// <summary>The server's CPU over 5 s with nothing asked of it, as a share of one core.</summary>
    private static async Task<double> IdleCpuAsync(CirtProcess server)
    {
        var cpu = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5));
        return (server.CpuSeconds() - cpu) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<string> OneStreamTooManyAsync(GrpcChannel channel, string key)
    {
        using var call = new InboxService.InboxServiceClient(channel).FollowInbox(new FollowInboxRequest(), new Metadata { { "authorization", "Bearer " + key } });
        try
        {
            await call.ResponseStream.MoveNext();
            return "ACCEPTED (the limit did not hold)";
        }
        catch (RpcException ex)
        {
            return $"refused, {ex.StatusCode}: {ex.Status.Detail}";
        }
    }

    private static void Print(string label, double[] latencies) =>
        Console.WriteLine($"{label,-40} p50 {Percentile(latencies, 0.50),6:N2} ms, p99 {Percentile(latencies, 0.99),6:N2} ms, max {latencies.Max(),7:N1} ms ({latencies.Length:N0} calls)");

    private static double Percentile(double[] values, double p) => Drivers.Percentile(values, p);

    /// <summary>
    /// New incidents submitted at a steady pace, each affecting one organisation; while followed,
    /// when each reaches each stream of that organisation.
    /// </summary>
    private sealed class Probes(string[] stakeholders)
    {
        private const string ProbeTitle = "Probe incident ";

        // By probe number: registered before the incident is submitted, so that no delivery can come first.
        private readonly ConcurrentDictionary<int, (long SubmittedAt, string Affected)> _followed = new();
        private readonly ConcurrentBag<double> _deliveries = [];
        private int _next;

        /// <summary>Whether new incidents are remembered and their deliveries timed.</summary>
        public bool Follow { get; set; }

        public int FollowedCount => _followed.Count;

        public async Task RunAsync(ReportingService.ReportingServiceClient reporting, Metadata headers, int intervalMs, CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    var i = Interlocked.Increment(ref _next);
                    if (Follow)
                    {
                        _followed[i] = (Stopwatch.GetTimestamp(), stakeholders[(i + 1) % stakeholders.Length]);
                    }

                    await reporting.SubmitIncidentAsync(Report(stakeholders, i, $"{ProbeTitle}{i}."), headers, cancellationToken: CancellationToken.None);
                }
            }
            catch (OperationCanceledException)
            {
                // The phase is over.
            }
        }

        /// <summary>Reads a stream to its end, timing the followed incidents that reach it.</summary>
        public async Task ReadAsync(AsyncServerStreamingCall<FollowInboxResponse> call, string stakeholderId, CancellationToken cancellationToken)
        {
            using (call)
            {
                try
                {
                    while (await call.ResponseStream.MoveNext(cancellationToken))
                    {
                        var item = call.ResponseStream.Current.Item;
                        var arrived = Stopwatch.GetTimestamp();
                        if (item.Kind == InboxItemKind.Incident && ProbeOf(item.Summary) is { } number
                            && _followed.TryGetValue(number, out var probe) && probe.Affected == stakeholderId)
                        {
                            _deliveries.Add(Stopwatch.GetElapsedTime(probe.SubmittedAt, arrived).TotalMilliseconds);
                        }
                    }
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
                {
                    // The run is over.
                }
                catch (OperationCanceledException)
                {
                    // The run is over.
                }
            }
        }

        /// <summary>The probe number in an item's summary ("… Probe incident 17. …").</summary>
        private static int? ProbeOf(string summary)
        {
            var at = summary.IndexOf(ProbeTitle, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            var digits = summary.AsSpan(at + ProbeTitle.Length);
            var end = digits.IndexOf('.');
            return end > 0 && int.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        /// <summary>Waits until every followed incident has reached every stream of the organisation it affects, or the time is up.</summary>
        public async Task<(int Delivered, int Expected, double[] Latencies)> AwaitDeliveriesAsync(IReadOnlyDictionary<string, int> streamsOf, TimeSpan patience)
        {
            var expected = _followed.Values.Sum(p => streamsOf.GetValueOrDefault(p.Affected));
            var until = Stopwatch.StartNew();
            while (_deliveries.Count < expected && until.Elapsed < patience)
            {
                await Task.Delay(100);
            }

            return (_deliveries.Count, expected, _deliveries.ToArray());
        }
    }
}
