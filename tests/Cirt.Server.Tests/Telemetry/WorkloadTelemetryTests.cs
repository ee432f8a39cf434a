using System.Diagnostics;
using System.Globalization;
using Cirt.Contracts.V1;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Telemetry;

/// <summary>
/// A known workload on a server of its own (each test starts one): its business clock moved by the
/// test, deadlines checked every second, and a tight rate limit (1 call a second after a burst of 30,
/// per key). What the metrics and spans say must be exactly what the workload did.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class WorkloadTelemetryTests : IAsyncLifetime
{
    private const int Burst = 30;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly TelemetryFixture _telemetry;

    public WorkloadTelemetryTests()
    {
        _telemetry = new TelemetryFixture
        {
            Clock = _clock,
            ExtraArguments =
            [
                "--Cirt:Deadlines:CheckPeriod", "00:00:01",
                "--Cirt:Security:PermitsPerSecond", "1",
                "--Cirt:Security:Burst", Burst.ToString(CultureInfo.InvariantCulture),
            ],
        };
    }

    private ServerFixture Server => _telemetry.Server;

    public Task InitializeAsync() => _telemetry.InitializeAsync();

    public Task DisposeAsync() => _telemetry.DisposeAsync();

    [Fact]
    public async Task IncidentsByStatusAndSeverityAndEscalatedDeadlinesAreExactlyWhatTheWorkloadDid()
    {
        // Four critical reports (triage SLA: 1 h); one is triaged in time, as high; three breach their SLA.
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var report = Reports.Valid("gridco");
            report.Severity = Severity.Critical;
            ids.Add((await Server.Reporting().SubmitIncidentAsync(report)).TrackingId);
        }

        _clock.Advance(TimeSpan.FromMinutes(50));
        await Server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = ids[0], Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        });
        _clock.Advance(TimeSpan.FromMinutes(15));

        // Waits on the metrics alone: polling the server over gRPC would spend the callers' rate limit.
        await Eventually.ReadAsync(
            () =>
            {
                _telemetry.CollectMetrics();
                return Task.FromResult(_telemetry.CounterSum("cirt.deadlines.escalated", "kind", "triage"));
            },
            escalated => escalated >= 3,
            "The three breached triage deadlines were not counted as escalated within 30 s.");
        Assert.Equal(3, _telemetry.CounterSum("cirt.deadlines.escalated"));

        // Severity is the CIRT's, set at triage: the reports are critical in their reporters' eyes only.

        Assert.Equal(3, _telemetry.Gauge("cirt.incidents", ("status", "reported"), ("severity", "unspecified")));
        Assert.Equal(1, _telemetry.Gauge("cirt.incidents", ("status", "triaged"), ("severity", "high")));
        Assert.Equal(4, _telemetry.Gauge("cirt.incidents", ("exercise", false)));
        Assert.Equal(4, _telemetry.Gauge("cirt.incidents"));

        // One span for each escalation, naming its incident and what fell due.
        var spans = await Eventually.ReadAsync(
            () => Task.FromResult(_telemetry.Spans.Snapshot().Where(s => s.Source.Name == "Cirt.Grains" && s.DisplayName == "deadline escalation").ToArray()),
            recorded => recorded.Length >= 3,
            "No span for each of the three escalations.");
        Assert.Equal(ids.Skip(1).Order(StringComparer.Ordinal), spans.Select(s => (string)s.GetTagItem("cirt.incident.tracking_id")!).Order(StringComparer.Ordinal));
        Assert.All(spans, span =>
        {
            Assert.Equal("triage", span.GetTagItem("cirt.deadline.kinds"));
            Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        });

        // The same figures on the scrape endpoint, as Prometheus reads them.
        var scrape = await ScrapeAsync();
        Assert.Equal(3, Sample(scrape, "cirt_incidents", "status=\"reported\"", "severity=\"unspecified\""));
        Assert.Equal(1, Sample(scrape, "cirt_incidents", "status=\"triaged\"", "severity=\"high\""));
        Assert.Equal(3, Sample(scrape, "cirt_deadlines_escalated_total", "kind=\"triage\""));

        // Triaging two breached ones (the second into a status and severity the first already holds)
        // moves them on the gauge; the escalations stay counted.
        foreach (var id in ids.Skip(1).Take(2))
        {
            await Server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
            {
                TrackingId = id, Outcome = TriageOutcome.Reject, Reason = "a test drill, not an incident",
            });
        }

        Assert.Equal(1, (await Server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { Statuses = { IncidentStatus.Reported } })).TotalSize);
        // (The exporter may answer from a response it cached a moment ago: read until the change shows.)
        scrape = await Eventually.ReadAsync(ScrapeAsync, lines => Sample(lines, "cirt_incidents", "status=\"reported\"", "severity=\"unspecified\"") == 1,
            "The rejected incidents did not leave the reported ones on the gauge.");
        Assert.Equal(2, Sample(scrape, "cirt_incidents", "status=\"rejected\"", "severity=\"unspecified\""));
        Assert.Equal(1, Sample(scrape, "cirt_incidents", "status=\"triaged\"", "severity=\"high\""));
        Assert.Equal(3, Sample(scrape, "cirt_deadlines_escalated_total", "kind=\"triage\""));
    }

    [Fact]
    public async Task DenialsByRoleAndByRuleAndRateLimitedCallsAreCounted()
    {
        _telemetry.CollectMetrics();
        var byRole = _telemetry.CounterSum("cirt.security.access_denied", "reason", "role");
        var byRule = _telemetry.CounterSum("cirt.security.access_denied", "reason", "rule");
        var limited = _telemetry.CounterSum("cirt.security.rate_limited");

        // An operator may not list keys (its role), nor report for another organisation (the reporting rule).
        var listing = await Assert.ThrowsAsync<RpcException>(() => Server.Keys(Server.GridcoKey).ListKeysAsync(new ListKeysRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, listing.StatusCode);
        var reporting = await Assert.ThrowsAsync<RpcException>(() => Server.Reporting().SubmitIncidentAsync(Reports.Valid("firstbank")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, reporting.StatusCode);

        // Past its burst, a key is refused: every refusal the caller sees is counted, and nothing else.
        var hasty = Server.Incidents(await Server.IssueKeyAsync("hasty", Role.Analyst));
        var refused = 0;
        for (var i = 0; i < Burst + 10; i++)
        {
            try
            {
                await hasty.ListIncidentsAsync(new ListIncidentsRequest());
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                refused++;
            }
        }

        Assert.True(refused > 0, "No call was refused past the burst.");
        _telemetry.CollectMetrics();
        Assert.Equal(byRole + 1, _telemetry.CounterSum("cirt.security.access_denied", "reason", "role"));
        Assert.Equal(byRule + 1, _telemetry.CounterSum("cirt.security.access_denied", "reason", "rule"));
        Assert.Equal(limited + refused, _telemetry.CounterSum("cirt.security.rate_limited"));
    }

    private async Task<string[]> ScrapeAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Server.MetricsAddress + "/metrics"));
        return text.Split('\n');
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/> (e.g. status="reported").</summary>
    private static double Sample(string[] scrape, string metric, params string[] labels)
    {
        var samples = scrape
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .ToArray();
        Assert.True(samples.Length == 1, $"Expected one sample of {metric} with {string.Join(", ", labels)}; found {samples.Length}.");
        var value = samples[0][(samples[0].LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }
}
