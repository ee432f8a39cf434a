using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cirt.Benchmarks.Ingest;
using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Domain = Cirt.Grains.Incidents;

namespace Cirt.Benchmarks.Queue;

/// <summary>
/// Whether every list of the queue costs what its page costs rather than what the queue holds:
/// fills a read model to N incidents (written directly through the server's storage adapter, the
/// server stopped), starts the real server on it and measures every ListIncidents shape, ListTasks
/// and ListDeadlines through gRPC next to a trivial call (KeyService/WhoAmI); then the same at a
/// baseline size, so that each shape's growth shows.
/// </summary>
public static class QueueBenchmark
{
    public sealed record Settings(int Incidents, int BaselineIncidents, int Stakeholders, int Repetitions, int SecondsPerShape, int DeepPage, int Rounds = 5);

    /// <summary>One shape's latencies at one size.</summary>
    private sealed record Measured(string Name, double P50, double P99, int Calls, int Total, int? Expected, int Page);

    /// <summary>The smallest number of calls a shape is measured with, whatever the time it takes.</summary>
    private const int MinimumCalls = 20;

    private const double TargetOverTrivialMs = 50;
    private const double TargetGrowth = 2;

    public static async Task<int> RunAsync(Settings s)
    {
        Console.WriteLine($"Cirt queue benchmark: every list shape at {s.Incidents:N0} and at {s.BaselineIncidents:N0} incidents over {s.Stakeholders:N0} stakeholders, " +
            $"up to {s.Repetitions} calls per shape (at least {MinimumCalls}, at most about {s.SecondsPerShape} s), warm, one call at a time, " +
            $"in {s.Rounds} rounds over all shapes: a shape's p50 and p99 are the medians of its rounds' (a burst of the shared machine lands in one round of a few shapes, not in their figure)");
        Console.WriteLine("The read model is written directly through the server's storage adapter (IIncidentQueue.UpsertAsync, the write an incident grain " +
            "makes to publish itself) while the server is stopped; the grains' own state is not written, since list queries read the read model alone.");
        Console.WriteLine($"load average at start: {LoadAverage()}");

        var (atSize, verifiedAtSize) = await RunAtAsync(s, s.Incidents);
        var (atBaseline, verifiedAtBaseline) = await RunAtAsync(s, s.BaselineIncidents);
        Console.WriteLine($"load average at end: {LoadAverage()}");

        var trivial = atSize.Single(m => m.Name == TrivialName);
        var baseline = atBaseline.ToDictionary(m => m.Name);
        Console.WriteLine();
        Console.WriteLine($"{"shape",-52} {"p50 ms",8} {"p99 ms",8} {"calls",6} {"total",9} | {"p99 10k",8} {"growth",7} | over trivial  growth");
        Console.WriteLine(new string('-', 130));
        var rows = new List<(Measured Shape, double Growth, bool Within, bool Level)>();
        foreach (var m in atSize.Where(m => m.Name != TrivialName))
        {
            var b = baseline.GetValueOrDefault(m.Name);
            var growth = b is null ? double.NaN : m.P99 / b.P99;
            var within = m.P99 - trivial.P99 <= TargetOverTrivialMs;
            var level = !(growth > TargetGrowth);
            rows.Add((m, growth, within, level));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Name,-52} {m.P50,8:F2} {m.P99,8:F2} {m.Calls,6} {m.Total,9} | {b?.P99 ?? double.NaN,8:F2} {growth,7:F2} | {(within ? "PASS" : "FAIL"),-4} {m.P99 - trivial.P99,+8:+0.0;-0.0}  {(level ? "PASS" : "FAIL")}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TrivialName,-52} {trivial.P50,8:F2} {trivial.P99,8:F2} {trivial.Calls,6} {"",9} | {baseline[TrivialName].P99,8:F2}"));
        Console.WriteLine($"targets: p99 within {TargetOverTrivialMs} ms of the trivial call at {s.Incidents:N0}; p99 at most {TargetGrowth}x its p99 at {s.BaselineIncidents:N0}. " +
            $"{rows.Count(r => r.Within && r.Level)} of {rows.Count} shapes meet both.");

        var worst = rows.MaxBy(r => r.Shape.P99);
        var grown = rows.Where(r => !double.IsNaN(r.Growth)).MaxBy(r => r.Growth);
        var result = new Dictionary<string, object>
        {
            ["incidents"] = s.Incidents,
            ["baseline_incidents"] = s.BaselineIncidents,
            ["stakeholders"] = s.Stakeholders,
            ["trivial_p99_ms"] = Math.Round(trivial.P99, 2),
            ["shapes"] = rows.Select(r => new Dictionary<string, object>
            {
                ["name"] = r.Shape.Name,
                ["p50_ms"] = Math.Round(r.Shape.P50, 2),
                ["p99_ms"] = Math.Round(r.Shape.P99, 2),
                ["calls"] = r.Shape.Calls,
                ["total_size"] = r.Shape.Total,
                ["p99_ms_baseline"] = Math.Round(baseline.GetValueOrDefault(r.Shape.Name)?.P99 ?? 0, 2),
                ["growth"] = double.IsNaN(r.Growth) ? 0 : Math.Round(r.Growth, 3),
                ["within_50_ms"] = r.Within,
                ["growth_within_2x"] = r.Level,
            }).ToArray(),
            ["load_average"] = LoadAverage(),
            ["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var results = Path.Combine(CirtProcess.RepositoryRoot(), "benchmarks", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, $"queue-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss}.json"),
            JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT incidents={s.Incidents} worst_shape={worst.Shape.Name.Replace(' ', '_')} worst_p99_ms={worst.Shape.P99:F2} trivial_p99_ms={trivial.P99:F2} worst_growth={grown.Growth:F2} worst_growth_shape={grown.Shape.Name.Replace(' ', '_')}"));
        return verifiedAtSize && verifiedAtBaseline ? 0 : 1;
    }

    private const string TrivialName = "KeyService/WhoAmI (trivial)";

    /// <summary>The page size of the shapes that match only a handful of incidents at the baseline size: full pages at both sizes.</summary>
    private const int NarrowPage = 2;

    /// <summary>Fills a fresh data folder to <paramref name="incidents"/>, starts the server on it and measures every shape.</summary>
    private static async Task<(IReadOnlyList<Measured> Shapes, bool Verified)> RunAtAsync(Settings s, int incidents)
    {
        Console.WriteLine();
        Console.WriteLine($"== {incidents:N0} incidents (load average {LoadAverage()})");
        var serverDll = CirtProcess.ServerDll();
        var settings = new Dictionary<string, string>();
        string coordinatorKey, operatorKey;
        string dataDirectory;
        using (var fresh = CirtProcess.Start(serverDll, settings))
        {
            // The directory the incidents will name (the stakeholders exist, as they would), and an operator of the largest.
            coordinatorKey = fresh.BootstrapKey;
            using var channel = GrpcChannel.ForAddress(fresh.Url);
            var coordinator = Headers(coordinatorKey);
            await IngestBenchmark.LoadConstituencyAsync(channel, coordinator, s.Stakeholders);
            operatorKey = (await new KeyService.KeyServiceClient(channel).IssueKeyAsync(
                new IssueKeyRequest { Name = "queue-bench-operator", Role = Role.Operator, StakeholderId = QueueFill.Stakeholder(0) }, coordinator)).ApiKey;
            fresh.Kill();
            dataDirectory = fresh.DataDirectory;

            var fill = new QueueFill(incidents, s.Stakeholders, DateTimeOffset.UtcNow);
            var took = await fill.WriteAsync(dataDirectory, Path.Combine(Path.GetDirectoryName(serverDll)!, "sql", "sqlite"));
            Console.WriteLine($"filled the read model with {incidents:N0} incidents through SqliteIncidentQueue.UpsertAsync in {took.TotalSeconds:N1} s " +
                $"({incidents / took.TotalSeconds:N0} incidents/s; {new FileInfo(Path.Combine(dataDirectory, "cirt.db")).Length / (1024 * 1024):N0} MiB)");

            using var server = CirtProcess.Restart(fresh, serverDll, settings);
            Console.WriteLine($"the server settled {(await SettleAsync(server)).TotalSeconds:N1} s after it started " +
                "(under 5 % of a core for a second): its start-up work on the file is not in the measurements");
            using var measured = GrpcChannel.ForAddress(server.Url, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
            return await MeasureAsync(s, fill, measured, Headers(coordinatorKey), Headers(operatorKey));
        }
    }

    /// <summary>
    /// Waits until the server spends under 5 % of a core for a whole second (at most two minutes):
    /// what it does once at start over a large file (sweeps, counts) would otherwise land in the
    /// first shapes' p99, and only at the large size.
    /// </summary>
    private static async Task<TimeSpan> SettleAsync(CirtProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var before = server.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (server.CpuSeconds() - before < 0.05)
            {
                break;
            }
        }

        return clock.Elapsed;
    }

    private static async Task<(IReadOnlyList<Measured> Shapes, bool Verified)> MeasureAsync(
        Settings s, QueueFill fill, GrpcChannel channel, Metadata coordinator, Metadata @operator)
    {
        var incidents = new IncidentService.IncidentServiceClient(channel);
        var keys = new KeyService.KeyServiceClient(channel);
        var big = QueueFill.Stakeholder(0);
        var small = QueueFill.Stakeholder(s.Stakeholders - 1);
        var sector = QueueFill.Sectors.MaxBy(fill.SectorCount)!;

        Func<Task<int>> List(ListIncidentsRequest request, Metadata headers) => async () => (await incidents.ListIncidentsAsync(request, headers)).TotalSize;
        ListIncidentsRequest Request(Action<ListIncidentsRequest>? filter = null, IncidentOrder order = IncidentOrder.NewestFirst)
        {
            var request = new ListIncidentsRequest { PageSize = 50, Order = order };
            filter?.Invoke(request);
            return request;
        }

        var trivial = new QueueShape(TrivialName, async () =>
        {
            await keys.WhoAmIAsync(new WhoAmIRequest(), coordinator);
            return -1;
        });
        var reported = fill.StatusCount(Domain.IncidentStatus.Reported);
        var shapes = new List<QueueShape>
        {
            new("all", List(Request(), coordinator), fill.Incidents),
            new("all most-severe", List(Request(order: IncidentOrder.MostSevereFirst), coordinator), fill.Incidents),
            new("status:REPORTED", List(Request(r => r.Statuses.Add(IncidentStatus.Reported)), coordinator), reported),
            new("status:REPORTED most-severe", List(Request(r => r.Statuses.Add(IncidentStatus.Reported), IncidentOrder.MostSevereFirst), coordinator), reported),
            new("status:REPORTED,TRIAGED", List(Request(r => r.Statuses.Add([IncidentStatus.Reported, IncidentStatus.Triaged])), coordinator),
                reported + fill.StatusCount(Domain.IncidentStatus.Triaged)),
            new($"sector:{sector}", List(Request(r => r.SectorCode = sector), coordinator), fill.SectorCount(sector)),
            new($"sector:{sector} most-severe", List(Request(r => r.SectorCode = sector, IncidentOrder.MostSevereFirst), coordinator), fill.SectorCount(sector)),
            new("severity:HIGH", List(Request(r => r.Severities.Add(Severity.High)), coordinator), fill.SeverityCount(Domain.Severity.High)),
            new($"stakeholder:big({big})", List(Request(r => r.StakeholderId = big), coordinator), fill.StakeholderCount(big)),
            new($"stakeholder:big({big}) most-severe", List(Request(r => r.StakeholderId = big, IncidentOrder.MostSevereFirst), coordinator), fill.StakeholderCount(big)),
            // The two narrow shapes ask for pages of NarrowPage: the baseline holds only a handful of
            // their incidents (3 and 8 at 10,000), so a page of 50 would be a few rows there and 50 at
            // 1,000,000, and their growth would measure the page, not the queue.
            new($"stakeholder:small({small})", List(Request(r =>
            {
                r.StakeholderId = small;
                r.PageSize = NarrowPage;
            }), coordinator), fill.StakeholderCount(small)),
            new($"status:REPORTED+sector:{sector}", List(Request(r =>
            {
                r.Statuses.Add(IncidentStatus.Reported);
                r.SectorCode = sector;
            }), coordinator)),
            new("status:REPORTED+severity:HIGH+stakeholder:big", List(Request(r =>
            {
                r.PageSize = NarrowPage;
                r.Statuses.Add(IncidentStatus.Reported);
                r.Severities.Add(Severity.High);
                r.StakeholderId = big;
            }), coordinator)),
            new($"operator({big}) all", List(Request(), @operator)),
            // Pages of 25: the 10,000-incident baseline holds 36 to 64 open tasks and deadlines, so a page
            // is full at both sizes and the growth compares like with like.
            new("ListTasks open", async () => (await incidents.ListTasksAsync(new ListTasksRequest { PageSize = 25 }, coordinator)).TotalSize),
            new("ListDeadlines open", async () => (await incidents.ListDeadlinesAsync(new ListDeadlinesRequest { PageSize = 25 }, coordinator)).TotalSize),
            new("ListDeadlines overdue", async () => (await incidents.ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Overdue, PageSize = 25 }, coordinator)).TotalSize),
        };

        // Deep pages: reached by following next_page_token from the first page; then the deep page itself is measured.
        foreach (var (name, request, page) in new[]
                 {
                     ("all page 20", Request(), 20),
                     ($"all page {s.DeepPage}", Request(), s.DeepPage),
                     ($"all most-severe page {s.DeepPage}", Request(order: IncidentOrder.MostSevereFirst), s.DeepPage),
                 }.DistinctBy(deep => deep.Item1))
        {
            var clock = Stopwatch.StartNew();
            var (reached, token) = await WalkToAsync(incidents, request, coordinator, page);
            Console.WriteLine($"  walked to page {reached} of '{name}' by its page tokens in {clock.Elapsed.TotalSeconds:N1} s");
            var deep = request.Clone();
            deep.PageToken = token;
            shapes.Add(new QueueShape(name, List(deep, coordinator), fill.Incidents, reached));
        }

        var verified = await VerifyWalkAsync(incidents, coordinator, $"stakeholder:small({small})", Request(r => r.StakeholderId = small), fill.StakeholderCount(small))
            & await VerifyWalkAsync(incidents, coordinator, "status:REPORTED", Request(r => r.Statuses.Add(IncidentStatus.Reported)), reported);

        var measured = new List<Measured>();
        var rounds = shapes.Append(trivial).ToDictionary(shape => shape.Name, _ => new List<Measured>());
        for (var round = 0; round < s.Rounds; round++)
        {
            // The trivial call in every round too: a drift of the shared machine shows in it as in the shapes.
            foreach (var shape in shapes.Prepend(trivial))
            {
                rounds[shape.Name].Add(await MeasureAsync(shape, s));
            }
        }

        foreach (var shape in shapes)
        {
            var m = Median(rounds[shape.Name]);
            measured.Add(m);
            var total = m.Expected is { } expected && expected != m.Total ? $"total_size {m.Total:N0}, the fill made {expected:N0}" : $"total_size {m.Total:N0}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {m.Name,-52} p50 {m.P50,8:F2} ms  p99 {m.P99,8:F2} ms  ({m.Calls} calls; {total})"));
        }

        var both = Median(rounds[TrivialName]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {TrivialName,-52} p50 {both.P50,8:F2} ms  p99 {both.P99,8:F2} ms  (rounds' p99: {string.Join(", ", rounds[TrivialName].Select(r => r.P99.ToString("F2", CultureInfo.InvariantCulture)))})"));
        measured.Add(both);
        return (measured, verified);
    }

    /// <summary>A shape measured in several rounds: the medians of its rounds' p50 and p99, and all their calls.</summary>
    private static Measured Median(List<Measured> rounds)
    {
        static double MedianOf(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var last = rounds[^1];
        return last with { P50 = MedianOf(rounds.Select(r => r.P50)), P99 = MedianOf(rounds.Select(r => r.P99)), Calls = rounds.Sum(r => r.Calls) };
    }

    /// <summary>
    /// A few unmeasured calls, then up to <see cref="Settings.Repetitions"/> measured ones back to
    /// back (fewer once <see cref="Settings.SecondsPerShape"/> have passed, never fewer than <see cref="MinimumCalls"/>);
    /// a round of the shapes takes a share of both.
    /// </summary>
    private static async Task<Measured> MeasureAsync(QueueShape shape, Settings s)
    {
        for (var i = 0; i < 3; i++)
        {
            await shape.Call();
        }

        var latencies = new List<double>();
        var total = 0;
        var clock = Stopwatch.StartNew();
        var (calls, seconds) = (Math.Max(MinimumCalls, s.Repetitions / s.Rounds), (double)s.SecondsPerShape / s.Rounds);
        while (latencies.Count < calls && (latencies.Count < MinimumCalls || clock.Elapsed.TotalSeconds < seconds))
        {
            var sent = Stopwatch.GetTimestamp();
            total = await shape.Call();
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        double[] values = [.. latencies];
        return new Measured(shape.Name, Drivers.Percentile(values, 0.50), Drivers.Percentile(values, 0.99), values.Length, total, shape.Expected, shape.Page);
    }

    /// <summary>Follows next_page_token from the first page to page <paramref name="page"/> (or the last); the page reached and the token that asks for it.</summary>
    private static async Task<(int Page, string Token)> WalkToAsync(IncidentService.IncidentServiceClient incidents, ListIncidentsRequest request, Metadata headers, int page)
    {
        var token = "";
        var reached = 1;
        while (reached < page)
        {
            var next = request.Clone();
            next.PageToken = token;
            var response = await incidents.ListIncidentsAsync(next, headers);
            if (response.NextPageToken.Length == 0)
            {
                break;
            }

            token = response.NextPageToken;
            reached++;
        }

        return (reached, token);
    }

    /// <summary>
    /// Walks every page of one shape and checks that it visits each incident the fill made for it
    /// exactly once; pages of a tenth of them (1 to 500), so that the walk crosses several pages
    /// whatever the size.
    /// </summary>
    private static async Task<bool> VerifyWalkAsync(IncidentService.IncidentServiceClient incidents, Metadata headers, string name, ListIncidentsRequest request, int expected)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = 0;
        var pages = 0;
        var token = "";
        var clock = Stopwatch.StartNew();
        do
        {
            var next = request.Clone();
            next.PageSize = Math.Clamp(expected / 10, 1, 500);
            next.PageToken = token;
            var response = await incidents.ListIncidentsAsync(next, headers);
            pages++;
            repeated += response.Incidents.Count(i => !seen.Add(i.TrackingId));
            token = response.NextPageToken;
        }
        while (token.Length > 0);

        var verified = seen.Count == expected && repeated == 0;
        Console.WriteLine($"  walked every page of '{name}': {seen.Count:N0} incidents in {pages} pages, {repeated} seen twice, the fill made {expected:N0} " +
            $"in {clock.Elapsed.TotalSeconds:N1} s -> {(verified ? "exact" : "MISMATCH")}");
        return verified;
    }

    private static Metadata Headers(string key) => new() { { "authorization", "Bearer " + key } };

    /// <summary>The machine's load average (1, 5 and 15 minutes): the machine is shared, the figures depend on it.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
