using Cirt.Contracts.V1;
using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// A flood of calls with bad keys must not drown the log: the refusals come out as one line per
/// remote address and interval, with their count, and every call is still counted. A server of its
/// own, summing up every second instead of every minute, logging at Information as shipped.
/// </summary>
public sealed class RefusalLogTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        ExtraArguments = ["--Cirt:Security:RefusalLogInterval", "00:00:01", "--Logging:LogLevel:Default", "Information"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AFloodOfBadKeysIsLoggedAsAFewCountedLinesPerAddressNotOneLinePerCall()
    {
        var log = new LogCapture();
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var client = new IncidentService.IncidentServiceClient(_server.Channel);
        const int Calls = 500;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Unknown keys, a malformed one, a wrong scheme and none at all, as a scanner would send them.
        var statuses = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            var header = (i % 4) switch
            {
                0 => "Bearer cirt_" + i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "_" + new string('A', 43),
                1 => "Bearer not-a-key",
                2 => "Basic dXNlcjpwYXNz",
                _ => "",
            };
            var headers = header.Length > 0 ? new Metadata { { "authorization", header } } : [];
            try
            {
                await client.ListIncidentsAsync(new ListIncidentsRequest(), headers);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        // Refused as unauthenticated, or by the per-address rate limit when the burst is spent.
        Assert.All(statuses, s => Assert.True(s is StatusCode.Unauthenticated or StatusCode.ResourceExhausted, $"answered {s}"));
        var summaries = await Eventually.ReadAsync(
            () => Task.FromResult(log.Lines.Where(l => l.Category == typeof(RefusalLog).FullName).ToArray()),
            lines => lines.Sum(l => Convert.ToInt64(l.Values["Count"], System.Globalization.CultureInfo.InvariantCulture)) >= Calls,
            "the summaries did not account for every refused call");

        Assert.Equal(Calls, summaries.Sum(l => Convert.ToInt64(l.Values["Count"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(summaries, l => Assert.Equal("address:127.0.0.1", l.Values["Source"]));
        Assert.All(summaries, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Contains(summaries, l => ((string)l.Values["Reasons"]!).Contains("unknown", StringComparison.Ordinal));
        // One line per address per second: as many as the seconds the flood lasted (and the summing up after it), not 500.
        Assert.InRange(summaries.Length, 1, (int)Math.Ceiling(seconds) + 2);
        // Nothing else wrote a line per refused call, not even at Information.
        var others = log.Lines.Where(l => l.Level >= LogLevel.Information && l.Category != typeof(RefusalLog).FullName).ToArray();
        Assert.True(others.Length <= 10, string.Join(Environment.NewLine, others.Take(10).Select(l => $"{l.Category}: {l.Message}")));
    }

    [Fact]
    public async Task AFloodOfJsonCallsWithBadKeysIsSummedUpTheSameWay()
    {
        var log = new LogCapture();
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        const int Calls = 100;
        using var forged = new Http.JsonClient(_server.HttpAddress, "cirt_0123456789abcdef_" + new string('A', 43));
        using var anonymous = new Http.JsonClient(_server.HttpAddress, "");

        var statuses = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < Calls; i++)
        {
            statuses.Add((await (i % 2 == 0 ? forged : anonymous).GetAsync("/v1/incidents")).Status);
        }

        Assert.All(statuses, s => Assert.True(s is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.TooManyRequests, $"answered {s}"));
        await Eventually.ReadAsync(
            () => Task.FromResult(log.Lines.Where(l => l.Category == typeof(RefusalLog).FullName).ToArray()),
            lines => lines.Sum(l => Convert.ToInt64(l.Values["Count"], System.Globalization.CultureInfo.InvariantCulture)) >= Calls,
            "the summaries did not account for every refused JSON call");
        // JSON transcoding's own line per failed call stays out of the log, as gRPC's does.
        var others = log.Lines.Where(l => l.Level >= LogLevel.Information && l.Category != typeof(RefusalLog).FullName).ToArray();
        Assert.True(others.Length <= 10, string.Join(Environment.NewLine, others.Take(10).Select(l => $"{l.Category}: {l.Message}")));
    }

    [Fact]
    public void AFloodFromMoreAddressesThanTheLogKeepsApartIsSummedInOneMoreLine()
    {
        var log = new LogCapture();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(log));
        var refusals = new RefusalLog(Microsoft.Extensions.Options.Options.Create(new SecurityOptions()), loggers.CreateLogger<RefusalLog>());

        for (var n = 0; n < RefusalLog.MaxSources + 5; n++)
        {
            refusals.Record($"address:10.0.{n / 256}.{n % 256}", "unknown", "0123456789abcdef", "/cirt.v1.IncidentService/ListIncidents");
            refusals.Record($"address:10.0.{n / 256}.{n % 256}", "malformed", "", "/cirt.v1.IncidentService/GetIncident");
        }

        refusals.Flush();
        refusals.Flush(); // nothing new: no line

        var lines = log.Lines.Where(l => l.Level == LogLevel.Warning).ToArray();
        Assert.Equal(RefusalLog.MaxSources + 1, lines.Length);
        Assert.All(lines[..^1], l => Assert.Equal(2L, l.Values["Count"]));
        Assert.Equal("malformed 1, unknown 1", lines[0].Values["Reasons"]);
        Assert.Equal(10L, lines[^1].Values["Count"]);
    }
}
