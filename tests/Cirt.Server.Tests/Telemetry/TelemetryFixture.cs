using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Telemetry;

/// <summary>A server of its own whose spans and metrics also go to in-memory exporters.</summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    private ServerFixture? _server;

    /// <summary>The server's business clock (<see cref="ServerFixture.Clock"/>); the system's unless set.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Settings of the server's own (<see cref="ServerFixture.ExtraArguments"/>).</summary>
    public string[] ExtraArguments { get; init; } = [];

    public ServerFixture Server => _server ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Every span the server ended.</summary>
    public Recorded<Activity> Spans { get; } = new();

    /// <summary>The metrics, as of each <see cref="CollectMetrics"/>.</summary>
    public Recorded<MetricSnapshot> Metrics { get; } = new();

    /// <summary>Collects the metrics now (rather than at the next periodic export).</summary>
    /// <remarks>The scrape endpoint's reader declines (it collects only when scraped): the flush reports false, the in-memory reader has collected.</remarks>
    public void CollectMetrics() => Server.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);

    /// <summary>The sum of the counter <paramref name="name"/> at the last collection, over the points whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public long CounterSum(string name) => Points(name, _ => true).Sum(point => point.GetSumLong());

    /// <summary>The value of the gauge <paramref name="name"/> at the last collection.</summary>
    public long Gauge(string name) => Points(name, _ => true).Sum(point => point.GetGaugeLastValueLong());

    /// <summary>The sum of the gauge <paramref name="name"/> at the last collection, over the points that carry every one of <paramref name="tags"/>.</summary>
    public long Gauge(string name, params (string Key, object Value)[] tags) =>
        Points(name, point => tags.All(tag => HasTag(point, tag.Key, tag.Value))).Sum(point => point.GetGaugeLastValueLong());

    private static bool HasTag(MetricPoint point, string key, object value)
    {
        foreach (var pair in point.Tags)
        {
            if (pair.Key == key && Equals(pair.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    private List<MetricPoint> Points(string name, Func<MetricPoint, bool> which)
    {
        var snapshot = Metrics.Snapshot().LastOrDefault(m => m.Name == name);
        return snapshot is null ? [] : snapshot.MetricPoints.Where(which).ToList();
    }

    public long CounterSum(string name, string tag, string value)
    {
        var snapshot = Metrics.Snapshot().LastOrDefault(m => m.Name == name);
        if (snapshot is null)
        {
            return 0;
        }

        long sum = 0;
        foreach (var point in snapshot.MetricPoints)
        {
            foreach (var pair in point.Tags)
            {
                if (pair.Key == tag && Equals(pair.Value, value))
                {
                    sum += point.GetSumLong();
                }
            }
        }

        return sum;
    }

    public Task InitializeAsync()
    {
        _server = new ServerFixture
        {
            Clock = Clock,
            ExtraArguments = ExtraArguments,
            Telemetry = otel => otel
                .WithTracing(tracing => tracing.AddInMemoryExporter(Spans))
                .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics)),
        };
        return _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server?.DisposeAsync() ?? Task.CompletedTask;
}
