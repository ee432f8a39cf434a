using System.Diagnostics;
using Cirt.Benchmarks.Ingest;
using Cirt.Grains.Incidents;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Benchmarks.Queue;

/// <summary>
/// A read model of a CIRT after two years of reports and automated feeds, written straight into a
/// stopped server's data folder through the server's own storage adapter
/// (<see cref="IIncidentQueue.UpsertAsync"/>, the write an incident grain makes to publish itself),
/// so that every table the adapter keeps (deadlines, tasks, counts, and whatever it keeps next) is
/// filled as the server would fill it. The grains' own state is not written: list queries read the
/// read model alone. Deterministic for a seed; it remembers how many incidents each filter matches.
/// </summary>
public sealed class QueueFill
{
    /// <summary>The sector codes seeded by seeds/sectors.json, most incidents first.</summary>
    public static readonly string[] Sectors =
    [
        "DIGITAL_INFRASTRUCTURE", "BANKING", "HEALTH", "ENERGY", "PUBLIC_ADMINISTRATION", "TRANSPORT", "ICT_SERVICE_MANAGEMENT",
        "DIGITAL_PROVIDERS", "MANUFACTURING", "FINANCIAL_MARKET_INFRASTRUCTURE", "DRINKING_WATER", "FOOD", "CHEMICALS",
        "RESEARCH", "POSTAL", "WASTE_MANAGEMENT", "WASTE_WATER", "SPACE",
    ];

    private static readonly (string Class, string Type)[] AutomatedTypes =
    [
        ("malicious-code", "infected-system"), ("vulnerable", "vulnerable-system"), ("information-gathering", "scanner"),
        ("malicious-code", "c2-server"), ("intrusion-attempts", "brute-force"),
    ];

    private static readonly (string Class, string Type, string Title)[] ReportedTypes =
    [
        ("fraud", "phishing", "Phishing wave against staff"), ("malicious-code", "malware-distribution", "Ransomware on file servers"),
        ("availability", "ddos", "DDoS against the public website"), ("intrusions", "system-compromise", "Compromised VPN appliance"),
        ("information-content-security", "data-leak", "Customer data offered for sale"), ("fraud", "masquerade", "CEO fraud attempt"),
    ];

    private static readonly string[] Analysts = ["alice", "bob", "carol", "dave", "erin"];

    private readonly int _incidents;
    private readonly DateTimeOffset _now;
    private readonly double[] _stakeholderWeights;
    private readonly string[][] _sectorsOf;

    private readonly Dictionary<IncidentStatus, int> _byStatus = [];
    private readonly Dictionary<Severity, int> _bySeverity = [];
    private readonly Dictionary<string, int> _bySector = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byStakeholder = new(StringComparer.Ordinal);

    public QueueFill(int incidents, int stakeholders, DateTimeOffset now)
    {
        _incidents = incidents;
        _now = now;
        // Zipf-like (exponent 1): the largest organisation has ten times the incidents of the tenth.
        _stakeholderWeights = Cumulative(Enumerable.Range(1, stakeholders).Select(rank => 1.0 / rank));
        var sectorWeights = Cumulative(Enumerable.Range(1, Sectors.Length).Select(rank => 1.0 / rank));
        var random = new Random(7);
        _sectorsOf = Enumerable.Range(0, stakeholders)
            .Select(_ => random.NextDouble() < 0.9 ? [Sectors[Pick(sectorWeights, random)]] : new[] { Sectors[Pick(sectorWeights, random)], Sectors[Pick(sectorWeights, random)] }.Distinct().ToArray())
            .ToArray();
    }

    /// <summary>How many incidents the fill writes.</summary>
    public int Incidents => _incidents;

    /// <summary>The stakeholder id of rank <paramref name="rank"/> (0: the one with the most incidents).</summary>
    public static string Stakeholder(int rank) => EventGenerator.IdOf(rank);

    public int StatusCount(IncidentStatus status) => _byStatus.GetValueOrDefault(status);

    public int SeverityCount(Severity severity) => _bySeverity.GetValueOrDefault(severity);

    public int SectorCount(string sector) => _bySector.GetValueOrDefault(sector);

    /// <summary>Incidents the stakeholder reported or is affected by.</summary>
    public int StakeholderCount(string stakeholderId) => _byStakeholder.GetValueOrDefault(stakeholderId);

    /// <summary>
    /// Writes every incident into the read model of the server data folder <paramref name="dataDirectory"/>
    /// (the server stopped) through the adapter the server uses; returns how long it took.
    /// </summary>
    public async Task<TimeSpan> WriteAsync(string dataDirectory, string schemaDirectory)
    {
        using var database = new SqliteDatabase(Path.Combine(dataDirectory, "cirt.db"));
        database.Migrate(schemaDirectory);
        // Built as the server builds it, so that a dependency it gains later is met the same way.
        var services = new ServiceCollection().AddLogging().AddSingleton(database).AddSingleton(TimeProvider.System).BuildServiceProvider();
        await using (services)
        {
            var clock = Stopwatch.StartNew();
            await FillAsync(ActivatorUtilities.CreateInstance<SqliteIncidentQueue>(services));
            // The pooled connections close: the last one checkpoints the write-ahead log into the file before the server opens it.
            SqliteConnection.ClearAllPools();
            var took = clock.Elapsed;
            // On disk before the server opens it: otherwise the kernel's writeback of the fill (hundreds
            // of MiB at 1,000,000) runs during the first shapes' measurements and lands in their p99.
            using (var file = new FileStream(Path.Combine(dataDirectory, "cirt.db"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                file.Flush(flushToDisk: true);
            }

            return took;
        }
    }

    /// <summary>Writes every incident through <paramref name="queue"/>, many at once as grains publish (the adapters group them into transactions).</summary>
    public async Task FillAsync(IIncidentQueue queue)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(20261201);
        const int inFlight = 4_000; // the adapter commits up to 1,000 waiting summaries per transaction
        var writes = new List<Task>(inFlight);
        for (var i = 0; i < _incidents; i++)
        {
            // From the thread pool, as grains publish: a call made inline would find the writer free and commit alone.
            var summary = Next(i, random);
            writes.Add(Task.Run(() => queue.UpsertAsync(summary)));
            if (writes.Count == inFlight)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }

            if ((i + 1) % 100_000 == 0)
            {
                Console.WriteLine($"  filled {i + 1:N0} incidents in {clock.Elapsed.TotalSeconds:N1} s");
            }
        }

        await Task.WhenAll(writes);
    }

    /// <summary>Incident number <paramref name="i"/>: its status, severity, organisations, label and age drawn from the distributions.</summary>
    private IncidentSummary Next(int i, Random random)
    {
        var automated = random.NextDouble() < 0.6;
        var status = StatusOf(random.NextDouble(), automated);
        var working = status is IncidentStatus.Reported or IncidentStatus.Triaged or IncidentStatus.Responding or IncidentStatus.Recovering;
        // More recent incidents are denser: the working set within two months, the rest over two years.
        var ageDays = (working ? 60 : 730) * Math.Pow(random.NextDouble(), 2);
        var reportedAt = _now - TimeSpan.FromDays(ageDays);
        var updatedAt = working ? reportedAt + (_now - reportedAt) * random.NextDouble() : reportedAt + TimeSpan.FromDays(random.Next(1, 30));
        updatedAt = updatedAt > _now ? _now : updatedAt;

        var first = Pick(_stakeholderWeights, random);
        string reporter;
        int[] affected;
        string rsitClass, rsitType, title;
        if (automated)
        {
            (rsitClass, rsitType) = AutomatedTypes[random.Next(AutomatedTypes.Length)];
            reporter = "";
            affected = [first];
            title = $"{rsitType} in Benchmark Operator {first}'s network on {reportedAt:yyyy-MM-dd}";
        }
        else
        {
            (rsitClass, rsitType, title) = ReportedTypes[random.Next(ReportedTypes.Length)];
            reporter = Stakeholder(first);
            affected = random.NextDouble() < 0.8
                ? [first]
                : new[] { first, Pick(_stakeholderWeights, random), Pick(_stakeholderWeights, random) }.Distinct().ToArray();
        }

        var sectors = affected.SelectMany(rank => _sectorsOf[rank]).Distinct().ToArray();
        var affectedIds = affected.Select(Stakeholder).ToArray();
        var severity = SeverityOf(random.NextDouble(), automated);
        var tlp = random.NextDouble() switch
        {
            < 0.05 => Tlp.Clear,
            < 0.40 => Tlp.Green,
            < 0.85 => Tlp.Amber,
            < 0.95 => Tlp.AmberStrict,
            _ => Tlp.Red,
        };

        Count(status, severity, sectors, reporter, affectedIds);
        return new IncidentSummary(
            TrackingIds.Format(reportedAt.Year, i + 1), title, status, severity, tlp, reporter, sectors, affectedIds, rsitClass, rsitType,
            working && status != IncidentStatus.Reported ? Analysts[random.Next(Analysts.Length)] : "",
            reportedAt, updatedAt, working ? random.Next(1, 6) : random.Next(4, 12), automated ? [] : Deadlines(reportedAt, working, random))
        {
            Tasks = !automated && random.NextDouble() < 0.15 ? Tasks(reportedAt, working, affectedIds[^1], random) : [],
            Exercise = random.NextDouble() < 0.005,
            ReportedSeverity = automated ? Severity.Unspecified : severity,
        };
    }

    /// <summary>Most incidents closed or resolved; a working set reported, triaged, responding or recovering. Automated incidents wait untriaged more often.</summary>
    private static IncidentStatus StatusOf(double u, bool automated) => (automated ? u * 0.9 : u) switch
    {
        < 0.03 => IncidentStatus.Reported,
        < 0.045 => IncidentStatus.Triaged,
        < 0.055 => IncidentStatus.Responding,
        < 0.06 => IncidentStatus.Recovering,
        < 0.20 => IncidentStatus.Resolved,
        < 0.95 => IncidentStatus.Closed,
        < 0.98 => IncidentStatus.Rejected,
        _ => IncidentStatus.Duplicate,
    };

    private static Severity SeverityOf(double u, bool automated) => automated
        ? u switch { < 0.5 => Severity.Unspecified, < 0.8 => Severity.Low, < 0.95 => Severity.Medium, _ => Severity.High }
        : u switch { < 0.03 => Severity.Unspecified, < 0.33 => Severity.Low, < 0.73 => Severity.Medium, < 0.95 => Severity.High, _ => Severity.Critical };

    /// <summary>A reported incident's NIS2 early warning and notification: met for finished incidents, for half of the working set.</summary>
    private static Deadline[] Deadlines(DateTimeOffset reportedAt, bool working, Random random)
    {
        if (random.NextDouble() < 0.5)
        {
            return [];
        }

        var met = !working || random.NextDouble() < 0.5;
        return
        [
            new Deadline(DeadlineKind.Nis2EarlyWarning, reportedAt.AddHours(24), reportedAt.AddHours(6), "NIS2 Art. 23(4)(a)"),
            new Deadline(DeadlineKind.Nis2Notification, reportedAt.AddHours(72), met ? reportedAt.AddHours(48) : null, "NIS2 Art. 23(4)(b)"),
        ];
    }

    private static IncidentTask[] Tasks(DateTimeOffset reportedAt, bool working, string stakeholderId, Random random) =>
    [
        new IncidentTask(1, "Collect firewall logs for the reported period", stakeholderId, "", reportedAt.AddDays(random.Next(2, 14)),
            working ? IncidentTaskStatus.Open : IncidentTaskStatus.Done, reportedAt.AddHours(2), "alice", "analyst", reportedAt.AddHours(2)),
    ];

    private void Count(IncidentStatus status, Severity severity, string[] sectors, string reporter, string[] affected)
    {
        _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
        _bySeverity[severity] = _bySeverity.GetValueOrDefault(severity) + 1;
        foreach (var sector in sectors)
        {
            _bySector[sector] = _bySector.GetValueOrDefault(sector) + 1;
        }

        foreach (var stakeholder in affected.Append(reporter).Where(id => id.Length > 0).Distinct())
        {
            _byStakeholder[stakeholder] = _byStakeholder.GetValueOrDefault(stakeholder) + 1;
        }
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var sums = new List<double>();
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
            sums.Add(total);
        }

        return [.. sums.Select(s => s / total)];
    }

    /// <summary>An index drawn with the probabilities of <paramref name="cumulative"/>.</summary>
    private static int Pick(double[] cumulative, Random random)
    {
        var at = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(at >= 0 ? at : ~at, cumulative.Length - 1);
    }
}
