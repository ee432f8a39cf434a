using System.Globalization;
using BenchmarkDotNet.Running;
using Cirt.Benchmarks.Federation;
using Cirt.Benchmarks.Inbox;
using Cirt.Benchmarks.Ingest;
using Cirt.Benchmarks.Queue;

// dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- ingest --events 2000000
// dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- ingest --retention 30s --seconds 100 --rate 10000
// dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- inbox-streams --streams 1000
// dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- federation --advisories 1000 --queued 10000
// dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- queue --incidents 1000000 --baseline-incidents 10000
// dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- micro
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(IngestBenchmark).Assembly).RunAll(args: args[1..]);
    return 0;
}

if (args.Length == 0 || args[0] is not ("ingest" or "inbox-streams" or "federation" or "queue" or "queue-postgres"))
{
    Console.Error.WriteLine("usage: Cirt.Benchmarks ingest [--events N] [--batch N] [--streams N] [--window N] [--stakeholders N] [--rate N] [--latency-warmup-seconds N] [--latency-seconds N] [--target URL --key KEY]");
    Console.Error.WriteLine("       Cirt.Benchmarks ingest --retention 30s [--seconds N] [--rate N] [--stakeholders N]   (file sizes over time, ack latency with and without pruning)");
    Console.Error.WriteLine("       Cirt.Benchmarks inbox-streams [--streams N] [--per-key N] [--incidents N] [--seconds N] [--probe-interval-ms N]");
    Console.Error.WriteLine("       Cirt.Benchmarks federation [--advisories N] [--queued N] [--parallel N]");
    Console.Error.WriteLine("       Cirt.Benchmarks queue-postgres [--incidents N] [--baseline-incidents N] [--stakeholders N] [--repetitions N] [--deep-page N]");
    Console.Error.WriteLine("       Cirt.Benchmarks queue [--incidents N] [--baseline-incidents N] [--stakeholders N] [--repetitions N] [--seconds-per-shape N] [--deep-page N] [--rounds N]");
    Console.Error.WriteLine("       Cirt.Benchmarks micro [BenchmarkDotNet options]");
    return 2;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int Number(string name, int fallback) => Option(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

if (args[0] == "federation")
{
    return await FederationBenchmark.RunAsync(new FederationBenchmark.Settings(
        Advisories: Number("--advisories", 1_000),
        Queued: Number("--queued", 10_000),
        Parallel: Number("--parallel", 8)));
}

if (args[0] == "queue-postgres")
{
    return await PostgresQueueBenchmark.RunAsync(new PostgresQueueBenchmark.Settings(
        Incidents: Number("--incidents", 100_000),
        BaselineIncidents: Number("--baseline-incidents", 10_000),
        Stakeholders: Number("--stakeholders", 1_000),
        Repetitions: Number("--repetitions", 200),
        DeepPage: Number("--deep-page", 200)));
}

if (args[0] == "queue")
{
    return await QueueBenchmark.RunAsync(new QueueBenchmark.Settings(
        Incidents: Number("--incidents", 1_000_000),
        BaselineIncidents: Number("--baseline-incidents", 10_000),
        Stakeholders: Number("--stakeholders", 1_000),
        Repetitions: Number("--repetitions", 200),
        SecondsPerShape: Number("--seconds-per-shape", 10),
        DeepPage: Number("--deep-page", 200),
        Rounds: Number("--rounds", 5)));
}

if (args[0] == "inbox-streams")
{
    return await InboxStreamsBenchmark.RunAsync(new InboxStreamsBenchmark.Settings(
        Streams: Number("--streams", 1_000),
        StreamsPerKey: Number("--per-key", 8),
        Incidents: Number("--incidents", 2_000),
        Seconds: Number("--seconds", 20),
        ProbeIntervalMs: Number("--probe-interval-ms", 250)));
}

if (Option("--retention") is { } retention)
{
    return await RetentionBenchmark.RunAsync(new RetentionBenchmark.Settings(
        Retention: retention.EndsWith('s') ? TimeSpan.FromSeconds(int.Parse(retention[..^1], CultureInfo.InvariantCulture)) : TimeSpan.Parse(retention, CultureInfo.InvariantCulture),
        Rate: Number("--rate", 10_000),
        Seconds: Number("--seconds", 100),
        Stakeholders: Number("--stakeholders", 100)));
}

var settings = new IngestBenchmark.Settings(
    Events: Number("--events", 2_000_000),
    BatchSize: Number("--batch", 1_000),
    Streams: Number("--streams", 4),
    Window: Number("--window", 8),
    Stakeholders: Number("--stakeholders", 1_000),
    Rate: Number("--rate", 20_000),
    LatencyWarmUpSeconds: Number("--latency-warmup-seconds", 30),
    LatencySeconds: Number("--latency-seconds", 30),
    Target: Option("--target"),
    Key: Option("--key"));
return await IngestBenchmark.RunAsync(settings);
