using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>The Memory profile keeps its ledger in memory: retries are as safe there while it runs.</summary>
public sealed class MemoryProfileRetryTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Storage = "Memory" };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ANoteSentTwiceUnderOneRequestIdIsAddedOnce()
    {
        var trackingId = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var request = new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = Guid.NewGuid().ToString() };

        var first = await _server.Incidents().AddNoteAsync(request);
        var retry = await _server.Incidents().AddNoteAsync(request);

        Assert.Equal(first, retry);
        var incident = (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
        Assert.Single(incident.Timeline, e => e.Kind == "note");
    }
}
