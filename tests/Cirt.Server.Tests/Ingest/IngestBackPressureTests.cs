using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Ingest;

/// <summary>A server whose ingest queue holds one batch and waits 1 ms for room: overload is easy to cause.</summary>
public sealed class IngestBackPressureTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        ExtraArguments = ["--Cirt:Ingest:QueueCapacity", "1", "--Cirt:Ingest:EnqueueTimeout", "00:00:00.001", "--Cirt:Ingest:MaxGroupBatches", "1"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AnOverloadedServerRefusesWithRetryAdviceAndStoresExactlyWhatItAcknowledged()
    {
        await _server.GrantFeedAsync("overload", _server.GridcoKey);
        var sensor = _server.Ingest();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 48).Select(async p =>
        {
            var batch = Events.Batch(Enumerable.Range(0, 2_000).Select(i => Events.Infected($"198.18.{p}.{i % 250}", feed: "overload")).ToArray());
            try
            {
                return (Accepted: (await sensor.PublishAsync(new PublishRequest { Batch = batch })).Ack.AcceptedCount, Refusal: (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (Accepted: 0, Refusal: ex);
            }
        }));

        var refusals = outcomes.Where(o => o.Refusal is not null).Select(o => o.Refusal!).ToArray();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, r.StatusCode);
            Assert.Contains("resend it in a moment", r.Status.Detail);
            Assert.Equal("1", r.Trailers.GetValue("retry-after"));
        });
        var acknowledged = outcomes.Sum(o => o.Accepted);
        Assert.True(acknowledged > 0, "some batches got through");

        var stats = await IngestStats.SettledAsync(_server.Ingest(_server.AnalystKey));

        Assert.Equal(acknowledged, stats.Feeds.Single(f => f.Feed == "overload").Stored);
    }
}
