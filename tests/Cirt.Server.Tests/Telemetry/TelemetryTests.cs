using System.Diagnostics;
using System.Net;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryFixture telemetry) : IClassFixture<TelemetryFixture>
{
    private ServerFixture Server => telemetry.Server;

    [Fact]
    public async Task OneReportIsOneTraceFromTheGrpcCallThroughItsGrains()
    {
        // The caller starts the trace (W3C traceparent), as a traced client would: the test knows its id.
        var traceId = ActivityTraceId.CreateRandom();
        var headers = new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } };
        var response = await Server.Reporting().SubmitIncidentAsync(Reports.Valid(), headers);
        Assert.NotEmpty(response.Incident.TrackingId);

        var call = await Eventually.ReadAsync(
            () => Task.FromResult(telemetry.Spans.Snapshot().SingleOrDefault(s => s.TraceId == traceId && s.Kind == ActivityKind.Server
                                                                                && s.Source.Name == "Microsoft.AspNetCore")),
            span => span is not null,
            "No server span in the trace of SubmitIncident.");
        Assert.Contains("ReportingService/SubmitIncident", call!.DisplayName, StringComparison.Ordinal);
        var grainCalls = await Eventually.ReadAsync(
            () => Task.FromResult(telemetry.Spans.Snapshot()
                .Where(s => s.TraceId == traceId && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToArray()),
            spans => spans.Any(s => s.DisplayName.Contains("IIncidentGrain/", StringComparison.Ordinal)),
            "No call to the incident grain in the trace of SubmitIncident.");

        // The grain calls hang beneath the gRPC call, not beside it.
        var spans = telemetry.Spans.Snapshot().ToDictionary(s => s.SpanId);
        Assert.All(grainCalls, grainCall =>
        {
            var ancestor = grainCall;
            while (ancestor.ParentSpanId != call.SpanId && spans.TryGetValue(ancestor.ParentSpanId, out var parent))
            {
                ancestor = parent;
            }

            Assert.Equal(call.SpanId, ancestor.ParentSpanId);
        });
    }

    [Fact]
    public async Task RefusedAuthenticationsAreCountedByReason()
    {
        telemetry.CollectMetrics();
        var before = telemetry.CounterSum("cirt.security.authentication_failures", "reason", "malformed");

        const int Refused = 3;
        for (var i = 0; i < Refused; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                Server.Reporting("not-a-cirt-key").SubmitIncidentAsync(Reports.Valid()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }

        telemetry.CollectMetrics();
        Assert.Equal(before + Refused, telemetry.CounterSum("cirt.security.authentication_failures", "reason", "malformed"));
    }

    [Fact]
    public async Task AggregatedEventsAreCountedByOutcomeAndTheBacklogDrains()
    {
        telemetry.CollectMetrics();
        var unmatchedBefore = telemetry.CounterSum("cirt.ingest.events_unmatched");
        var storedBefore = telemetry.CounterSum("cirt.ingest.events_stored");

        // Addresses of the benchmarking range: no stakeholder's constituency holds them.
        var batch = Events.Batch(Events.Infected("198.18.3.1"), Events.Infected("198.18.3.2"), Events.Infected("198.18.3.3"));
        await Server.GrantFeedAsync("honeypot-1", Server.GridcoKey);
        var ack = (await Server.Ingest().PublishAsync(new PublishRequest { Batch = batch })).Ack;
        Assert.Equal(3, ack.AcceptedCount);

        await Eventually.ReadAsync(
            () =>
            {
                telemetry.CollectMetrics();
                return Task.FromResult((Unmatched: telemetry.CounterSum("cirt.ingest.events_unmatched"), Backlog: telemetry.Gauge("cirt.ingest.aggregation_backlog")));
            },
            counted => counted.Unmatched == unmatchedBefore + 3 && counted.Backlog == 0,
            "The three unmatched events were not counted once aggregated, or the backlog did not drain.");
        Assert.Equal(storedBefore + 3, telemetry.CounterSum("cirt.ingest.events_stored"));
    }

    [Fact]
    public async Task MetricsAreScrapedOnTheirOwnEndpointAndNowhereElse()
    {
        // Something of ours to count, and grain calls for Orleans to count.
        await Assert.ThrowsAsync<RpcException>(() => Server.Reporting("not-a-cirt-key").SubmitIncidentAsync(Reports.Valid()).ResponseAsync);
        await Server.Reporting().SubmitIncidentAsync(Reports.Valid());

        using var http = new HttpClient();
        var scrape = await http.GetAsync(new Uri(Server.MetricsAddress + "/metrics"));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        var names = text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split('{', ' ')[0]).ToHashSet();
        Assert.Contains("cirt_security_authentication_failures_total", names);
        Assert.Contains(names, name => name.StartsWith("orleans_", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(Server.MetricsAddress + "/taxii2/"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(Server.HttpAddress + "/metrics"))).StatusCode);
    }
}
