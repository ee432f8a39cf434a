using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>A server of its own with a tight rate limit: 2 calls per second, bursts of 5.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        ExtraArguments = ["--Cirt:Security:PermitsPerSecond", "2", "--Cirt:Security:Burst", "5"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ACallerOverItsRateIsToldToRetryLaterWhileOthersCarryOn()
    {
        var analyst = _server.Incidents(await _server.IssueKeyAsync("hasty", Role.Analyst));
        var statuses = new List<StatusCode>();
        RpcException? refusal = null;
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await analyst.ListIncidentsAsync(new ListIncidentsRequest());
                statuses.Add(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                statuses.Add(ex.StatusCode);
                refusal ??= ex;
            }
        }

        // The burst of 5, plus what refills (2 per second) while the calls are made.
        Assert.InRange(statuses.Count(s => s == StatusCode.OK), 5, 12);
        Assert.All(statuses.Where(s => s != StatusCode.OK), s => Assert.Equal(StatusCode.ResourceExhausted, s));
        Assert.NotNull(refusal);
        Assert.Contains("retry after", refusal.Status.Detail);
        Assert.NotNull(refusal.Trailers.GetValue("retry-after") ?? refusal.Trailers.GetValue("grpc-retry-pushback-ms"));

        // Another principal has a bucket of its own.
        await _server.Incidents(_server.CoordinatorKey).ListIncidentsAsync(new ListIncidentsRequest());
    }
}
