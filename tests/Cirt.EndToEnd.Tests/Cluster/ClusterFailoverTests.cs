using System.Diagnostics;
using System.Threading.Channels;
using Cirt.Contracts.V1;
using Grpc.Core;
using Xunit.Abstractions;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// Three silos of real server processes in the cluster profile. Reports, triage and ingest streams
/// run through all of them; one silo is killed with kill -9 mid-flight; the clients carry on
/// through the others. Afterwards every acknowledged event is counted exactly once, every
/// acknowledged change is in its incident and in the queue, and the deadlines whose reminders the
/// dead silo held escalate all the same. Then every silo is stopped and started again, and all of
/// it is still there.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SiloCount = 3;
    private const string Feed = "cluster-e2e";

    /// <summary>Incidents reported as critical, whose triage deadline falls due during the test.</summary>
    private const int DeadlineIncidents = 6;

    /// <summary>What each client gets acknowledged before the kill, and again after it.</summary>
    private const int ReportsEach = 4;
    private const int ChangesEach = 6;
    private const int BatchesEach = 20;

    /// <summary>The triage deadline of a critical report: long enough to kill a silo before it falls due, short enough to wait for.</summary>
    private static readonly TimeSpan TriageCritical = TimeSpan.FromSeconds(45);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Cirt__Deadlines__CheckPeriod"] = "00:00:01",
        ["Cirt__Deadlines__TriageCritical"] = TriageCritical.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Cirt__Ingest__AggregationFlushInterval"] = "00:00:01",
        // Passes and windows sized for a test, not for a nation: each silo holds the windows in memory.
        ["Cirt__Ingest__AggregationFlushEvents"] = "20000",
        ["Cirt__Ingest__DuplicateWindowTargets"] = "200000",
        ["Cirt__Ingest__ResendWindowEvents"] = "200000",
        // Every client calls with the one coordinator key: no rate limit is what is under test.
        ["Cirt__Security__PermitsPerSecond"] = "5000",
        ["Cirt__Security__Burst"] = "10000",
        // Where each silo says which reminders it runs ("Started reminder ..."): how the test knows which silo held a deadline.
        ["Logging__LogLevel__Orleans.Runtime.ReminderService"] = "Debug",
    };

    private ClusterProcesses _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterProcesses.CreateAsync(SiloCount, Settings);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task KillDashNineOfASiloMidFlightLosesNothingAndAFullRestartKeepsEverything()
    {
        try
        {
            await RunAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n\nEvery silo's output is in {_cluster.SaveOutput()}; their last lines:\n{Tails(60)}", ex);
        }
    }

    private async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        await _cluster.StartAllAsync();
        Log(clock, $"{SiloCount} silos serve gRPC at {string.Join(", ", _cluster.Addresses)}");

        using var coordinator = new PatientClient(_cluster.Addresses, 0, _cluster.CoordinatorKey);
        await GrantFeedAsync(coordinator);
        var deadlines = await ReportCriticalIncidentsAsync();
        var holders = await Eventually.ReadAsync(
            () => Task.FromResult(ReminderHolders(deadlines.Keys)),
            held => held.Values.Sum(ids => ids.Count) == deadlines.Count && held.Values.SelectMany(ids => ids).Distinct().Count() == deadlines.Count,
            TimeSpan.FromSeconds(30),
            () => $"not every deadline's reminder shows as started in a silo's log: {Describe(ReminderHolders(deadlines.Keys))}");
        // The silo to kill: the one holding the most deadline reminders.
        var victim = holders.MaxBy(h => h.Value.Count).Key;
        var victimDeadlines = holders[victim];
        Log(clock, $"deadline reminders held: {Describe(holders)}; silo {victim} is the one to kill");

        var committed = new CommittedIncidents();
        var toTriage = Channel.CreateUnbounded<string>();
        using var stop = new CancellationTokenSource();
        // Each kind of client starts at the silo to kill: the kill breaks calls and streams of every kind.
        var clients = new[] { 0, 1, 0, 2 }.Select(i => new PatientClient(_cluster.Addresses, victim + i, _cluster.CoordinatorKey)).ToArray();
        try
        {
            var reporters = new[] { new Reporter("reporter-a", clients[0], committed, toTriage.Writer), new Reporter("reporter-b", clients[1], committed, toTriage.Writer) };
            var analysts = new[] { new Analyst("analyst-a", clients[2], committed, toTriage.Reader), new Analyst("analyst-b", clients[3], committed, toTriage.Reader) };
            var sensors = new[] { new Sensor(1, _cluster.Addresses, victim, _cluster.CoordinatorKey, Feed), new Sensor(2, _cluster.Addresses, victim + 1, _cluster.CoordinatorKey, Feed) };
            var work = reporters.Select(r => r.RunAsync(stop.Token))
                .Concat(analysts.Select(a => a.RunAsync(stop.Token)))
                .Concat(sensors.Select(s => s.RunAsync(stop.Token)))
                .ToArray();
            int[] Progress() => [.. reporters.Select(r => r.Acknowledged), .. analysts.Select(a => a.Acknowledged), .. sensors.Select(s => s.Acknowledged)];
            int[] enough = [ReportsEach, ReportsEach, ChangesEach, ChangesEach, BatchesEach, BatchesEach];

            var beforeKill = await Eventually.ReadAsync(
                () => Task.FromResult(Progress()),
                progress => progress.Zip(enough).All(p => p.First >= p.Second) || work.Any(w => w.IsFaulted),
                TimeSpan.FromSeconds(60),
                () => $"the clients did not get {string.Join("/", enough)} calls acknowledged within 60 s: {string.Join("/", Progress())}");
            ThrowIfFailed(work);

            _cluster.Kill(victim);
            var killedAt = DateTimeOffset.UtcNow;
            Log(clock, $"silo {victim} killed (kill -9) with {string.Join("/", beforeKill)} acknowledged (reports/changes/batches by client)");
            var firstDue = victimDeadlines.Min(id => deadlines[id]);
            Assert.True(killedAt < firstDue, $"the kill came at {killedAt:O}, after the first deadline the silo held fell due ({firstDue:O}): the test cannot show that another silo escalated it");

            // The cluster notices: the other silos declare the dead one dead, and take over its grains and reminders.
            await Eventually.ReadAsync(
                () => _cluster.IsDeclaredDeadAsync(victim),
                dead => dead,
                TimeSpan.FromSeconds(60),
                () => $"silo {victim} was not declared dead in the membership table within 60 s of its kill");
            var declaredDead = Progress();
            Log(clock, $"silo {victim} declared dead {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s after the kill (the membership table read every 0.2 s), with {string.Join("/", declaredDead)} acknowledged");

            // The clients carry on through the other silos: each gets as much acknowledged again.
            await Eventually.ReadAsync(
                () => Task.FromResult(Progress()),
                progress => progress.Zip(declaredDead, enough).All(p => p.First >= p.Second + p.Third) || work.Any(w => w.IsFaulted),
                TimeSpan.FromSeconds(90),
                () => $"the clients did not carry on after the kill: {string.Join("/", Progress())} acknowledged, {string.Join("/", declaredDead)} when the silo was declared dead");
            ThrowIfFailed(work);
            Log(clock, $"clients carried on: {string.Join("/", Progress())} acknowledged");

            await stop.CancelAsync();
            await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(150));
            var batches = sensors.Sum(s => s.Batches);
            Log(clock,
                $"load stopped: {committed.Count} incidents, {batches} batches ({batches * Sensor.EventsPerBatch} events) acknowledged; " +
                $"calls the console gave up on and the user sent again: {clients.Sum(c => c.Failures.Count)} " +
                $"({string.Join(", ", clients.SelectMany(c => c.Failures).GroupBy(f => f.Status).Select(g => $"{g.Count()} {g.Key}"))}); " +
                $"streams reopened: {sensors.Sum(s => s.BrokenStreams.Count)} ({string.Join("; ", sensors.SelectMany(s => s.BrokenStreams).Select(b => b.Length > 160 ? b[..160] : b).Distinct().Take(4))})");

            // What the console could not get through told the user to try again (UNAVAILABLE, or the
            // deadline passed while the dead silo was not yet declared dead), never an internal error.
            Assert.All(clients.SelectMany(c => c.Failures), f => Assert.True(f.Status is StatusCode.Unavailable or StatusCode.DeadlineExceeded,
                $"{f.What}: the cluster answered {f.Status} \"{f.Detail}\" while a silo was down; a retry went through, so it should have said UNAVAILABLE"));

            // The deadlines the dead silo's reminders watched escalate all the same, on another silo.
            var escalated = await Eventually.ReadAsync(
                () => ReadIncidentsAsync(coordinator, deadlines.Keys),
                incidents => incidents.All(i => TriageDeadline(i).EscalatedAt is not null),
                TriageCritical + TimeSpan.FromSeconds(60),
                incidents => $"deadlines not escalated: {string.Join(", ", incidents.Where(i => TriageDeadline(i).EscalatedAt is null).Select(i => i.TrackingId))}");
            foreach (var incident in escalated.Where(i => victimDeadlines.Contains(i.TrackingId)))
            {
                Assert.True(TriageDeadline(incident).EscalatedAt.ToDateTimeOffset() > killedAt,
                    $"{incident.TrackingId}'s deadline was escalated at {TriageDeadline(incident).EscalatedAt}, before silo {victim} was killed at {killedAt:O}");
            }

            Log(clock, $"every deadline escalated, the {victimDeadlines.Count} whose reminders silo {victim} held after it died");

            await VerifyAsync(coordinator, committed, batches, deadlines.Keys);
            Log(clock, "after the kill: every acknowledged change in its incident and in the queue, every event counted once");

            await _cluster.StartAsync(victim);
            Log(clock, $"silo {victim} started again");
            await _cluster.StopAllAsync();
            Log(clock, "every silo stopped");
            await _cluster.StartAllAsync();
            Log(clock, "every silo started again");

            using var afterRestart = new PatientClient(_cluster.Addresses, 2, _cluster.CoordinatorKey);
            await VerifyAsync(afterRestart, committed, batches, deadlines.Keys);
            var stillEscalated = await ReadIncidentsAsync(afterRestart, deadlines.Keys);
            Assert.All(stillEscalated, i => Assert.NotNull(TriageDeadline(i).EscalatedAt));
            Log(clock, "after stopping and starting every silo: everything is there");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Every acknowledged event stored exactly once, counted exactly once in its incident, the
    /// repeats counted as duplicates; every acknowledged change in its incident's grain and in the
    /// queue; nothing there twice.
    /// </summary>
    internal static async Task VerifyAsync(PatientClient client, CommittedIncidents committed, int batches, IEnumerable<string> deadlineIncidents)
    {
        long events = batches * (long)Sensor.EventsPerBatch;
        long duplicates = batches * (long)Sensor.RepeatsPerBatch;
        var stats = await Eventually.ReadAsync(
            () => client.AcknowledgedAsync("ingest stats", () => client.Ingest.GetIngestStatsAsync(new GetIngestStatsRequest())),
            s => s.Backlog == 0 && s.Total.Stored >= events,
            TimeSpan.FromSeconds(90),
            s => $"aggregation did not catch up with the {events} acknowledged events: {s.Total.Stored} stored, backlog {s.Backlog}");
        Assert.Equal(
            (events, duplicates, 0L, 0L),
            (stats.Total.Stored, stats.Total.Duplicates, stats.Total.Unmatched, stats.Total.Rejected));

        // ExampleTel's incidents from the feed count every event once and every repeat as a duplicate.
        var counted = await Eventually.ReadAsync(
            async () =>
            {
                var rows = await ListQueueAsync(client, "exampletel");
                var incidents = await ReadIncidentsAsync(client, rows.Where(r => r.RsitType == "infected-system").Select(r => r.TrackingId));
                return (Events: incidents.Sum(i => i.EventCount), Duplicates: incidents.Sum(i => i.DuplicateCount));
            },
            c => c.Events >= events,
            TimeSpan.FromSeconds(60),
            c => $"ExampleTel's incidents count {c.Events} events of the {events} acknowledged");
        Assert.Equal((events, duplicates), counted);

        // Each incident's grain holds what was last acknowledged for it: no change lost, none applied twice.
        var expected = committed.All.ToDictionary(c => c.TrackingId);
        foreach (var incident in await ReadIncidentsAsync(client, expected.Keys))
        {
            var want = expected[incident.TrackingId];
            Assert.Equal(
                (want.TrackingId, want.Title, want.Status, want.Version, want.Assignee, want.Notes),
                (incident.TrackingId, incident.Title, incident.Status, incident.Version, incident.Assignee, incident.Timeline.Count(e => e.Kind == "note")));
        }

        // The queue shows every incident at its committed version, and each report once.
        var queue = await Eventually.ReadAsync(
            () => ListQueueAsync(client, "gridco"),
            rows => rows.Count >= expected.Count && expected.Values.All(want => rows.Any(r => r.TrackingId == want.TrackingId && r.Version == want.Version)),
            TimeSpan.FromSeconds(60),
            rows => $"the queue misses changes: {string.Join(", ", expected.Values.Where(want => !rows.Any(r => r.TrackingId == want.TrackingId && r.Version == want.Version)).Take(10).Select(want => $"{want.TrackingId} v{want.Version} ({string.Join(",", rows.Where(r => r.TrackingId == want.TrackingId).Select(r => $"v{r.Version}"))})"))}");
        Assert.Equal(expected.Keys.Order(), queue.Select(r => r.TrackingId).Order());
        Assert.All(queue, row => Assert.Equal((expected[row.TrackingId].Status, expected[row.TrackingId].Assignee), (row.Status, row.Assignee)));

        var firstbank = await ListQueueAsync(client, "firstbank");
        Assert.Equal(deadlineIncidents.Order(), firstbank.Select(r => r.TrackingId).Order());
    }

    /// <summary>The feed the sensors send, registered as a national feed and granted to the coordinator key.</summary>
    private async Task GrantFeedAsync(PatientClient client)
    {
        var register = new RegisterFeedRequest { Name = Feed, Settings = new FeedSettings { Trust = FeedTrust.National } };
        await client.AcknowledgedAsync("register feed", () => client.Feeds.RegisterFeedAsync(register));
        var grant = new GrantFeedRequest { Name = Feed, KeyId = _cluster.CoordinatorKeyId };
        await client.AcknowledgedAsync("grant feed", () => client.Feeds.GrantFeedAsync(grant));
    }

    /// <summary>Incidents reported by FirstBank as critical, each through another silo: tracking id and when triage falls due.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> ReportCriticalIncidentsAsync()
    {
        var due = new Dictionary<string, DateTimeOffset>();
        for (var n = 0; n < DeadlineIncidents; n++)
        {
            using var client = new PatientClient(_cluster.Addresses, n, _cluster.CoordinatorKey);
            var report = new SubmitIncidentRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                ReporterStakeholderId = "firstbank",
                Title = $"Payment gateway down ({n})",
                Description = "Card payments fail for every customer since the last deployment.",
                Severity = Severity.Critical,
            };
            var response = await client.AcknowledgedAsync("critical report", () => client.Reporting.SubmitIncidentAsync(report));
            due[response.TrackingId] = response.Deadlines.Single(d => d.Kind == DeadlineKind.Triage).DueAt.ToDateTimeOffset();
        }

        return due;
    }

    /// <summary>
    /// For each running silo, the incidents among <paramref name="trackingIds"/> whose deadline
    /// reminder it runs: those whose last line about their reminder in its log says it started it.
    /// </summary>
    private Dictionary<int, HashSet<string>> ReminderHolders(IEnumerable<string> trackingIds)
    {
        var held = new Dictionary<int, HashSet<string>>();
        for (var silo = 0; silo < _cluster.Silos.Count; silo++)
        {
            if (!_cluster.Silos[silo].IsRunning)
            {
                continue;
            }

            var lines = _cluster.Silos[silo].Output.Split('\n');
            held[silo] = [.. trackingIds.Where(id => lines.LastOrDefault(line => line.Contains(id, StringComparison.Ordinal) && IsAboutReminder(line)) is { } last
                && (last.Contains("Started reminder", StringComparison.Ordinal) || last.Contains("Updated reminder", StringComparison.Ordinal)))];
        }

        return held;
    }

    private static bool IsAboutReminder(string line) =>
        line.Contains("Started reminder", StringComparison.Ordinal) || line.Contains("Updated reminder", StringComparison.Ordinal)
        || line.Contains("stopping reminder", StringComparison.Ordinal) || line.Contains("Not in my range", StringComparison.Ordinal);

    private static Deadline TriageDeadline(Incident incident) => incident.Deadlines.Single(d => d.Kind == DeadlineKind.Triage);

    private static async Task<Incident[]> ReadIncidentsAsync(PatientClient client, IEnumerable<string> trackingIds)
    {
        var incidents = new List<Incident>();
        foreach (var id in trackingIds)
        {
            var request = new GetIncidentRequest { TrackingId = id };
            incidents.Add((await client.AcknowledgedAsync($"read {id}", () => client.Incidents.GetIncidentAsync(request))).Incident);
        }

        return [.. incidents];
    }

    /// <summary>The whole queue of one stakeholder, page by page (the pages may come from different silos).</summary>
    private static async Task<List<IncidentSummary>> ListQueueAsync(PatientClient client, string stakeholder)
    {
        var rows = new List<IncidentSummary>();
        var token = "";
        do
        {
            var request = new ListIncidentsRequest { StakeholderId = stakeholder, PageSize = 200, PageToken = token };
            var page = await client.AcknowledgedAsync($"queue of {stakeholder}", () => client.Incidents.ListIncidentsAsync(request));
            rows.AddRange(page.Incidents);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        return rows;
    }

    private static void ThrowIfFailed(Task[] work)
    {
        if (work.FirstOrDefault(w => w.IsFaulted) is { } failed)
        {
            failed.GetAwaiter().GetResult();
        }
    }

    private static string Describe(Dictionary<int, HashSet<string>> held) =>
        string.Join("; ", held.Select(h => $"silo {h.Key}: {h.Value.Count} ({string.Join(", ", h.Value.Order())})"));

    private string Tails(int lines) =>
        string.Join('\n', _cluster.Silos.Select((s, i) =>
            $"===== silo {i} ({s.Url}, {(s.IsRunning ? "running" : "not running")}) =====\n{string.Join('\n', s.Output.Split('\n').TakeLast(lines))}"));

    private void Log(Stopwatch clock, string message) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {message}");
}
