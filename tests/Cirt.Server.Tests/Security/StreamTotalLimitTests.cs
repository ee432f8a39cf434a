using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// A server of its own with tight stream limits: 2 inbox streams per key and 3 in all, 1 ingest
/// stream per key and 2 in all. The two kinds are counted apart, and the limits are checked at start.
/// </summary>
public sealed class StreamTotalLimitTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        ExtraArguments =
        [
            "--Cirt:Security:StreamsPerKey", "2", "--Cirt:Security:StreamsTotal", "3",
            "--Cirt:Security:IngestStreamsPerKey", "1", "--Cirt:Security:IngestStreamsTotal", "2",
        ],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task OnceTheServerHoldsAllTheInboxStreamsItAllowsEveryKeyIsRefused()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await _server.IssueKeyAsync("first", Role.Operator, "gridco");
        var second = await _server.IssueKeyAsync("second", Role.Operator, "firstbank");
        using var a = await StreamLimitTests.FollowAsync(_server, first, cancel.Token);
        using var b = await StreamLimitTests.FollowAsync(_server, first, cancel.Token);
        var perKey = await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => StreamLimitTests.FollowAsync(_server, first, cancel.Token));
        Assert.Contains("2 streams", perKey.Status.Detail);
        using var c = await StreamLimitTests.FollowAsync(_server, second, cancel.Token);

        var total = await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => StreamLimitTests.FollowAsync(_server, second, cancel.Token));
        Assert.Contains("3 streams", total.Status.Detail);
        Assert.Contains("retry later", total.Status.Detail);
        await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => StreamLimitTests.FollowAsync(_server, _server.AnalystKey, cancel.Token));

        // Ingest streams are counted apart: the full inbox does not keep a sensor out.
        await _server.GrantFeedAsync("honeypot-1", first);
        using var ingest = _server.Ingest(first).Stream(cancellationToken: cancel.Token);
        await ingest.RequestStream.WriteAsync(new StreamRequest { Batch = Events.Batch(Events.Infected("192.0.2.10")) }, cancel.Token);
        Assert.True(await ingest.ResponseStream.MoveNext(cancel.Token));
    }

    [Fact]
    public async Task OneIngestStreamMoreThanAKeyOrTheServerMayHoldIsRefused()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sensors = new[] { await _server.IssueKeyAsync("sensor-1", Role.Operator, "gridco"), await _server.IssueKeyAsync("sensor-2", Role.Operator, "gridco") };
        var open = new List<AsyncDuplexStreamingCall<StreamRequest, StreamResponse>>();
        try
        {
            foreach (var sensor in sensors)
            {
                open.Add(await IngestAsync(sensor, cancel.Token));
            }

            var perKey = await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => IngestAsync(sensors[0], cancel.Token));
            Assert.Contains("1 ingest stream", perKey.Status.Detail);
            var total = await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => IngestAsync(_server.GridcoKey, cancel.Token));
            Assert.Contains("2 ingest streams", total.Status.Detail);

            // Unary publishing is not a stream: still open to every key granted the feed.
            await _server.GrantFeedAsync("honeypot-1", _server.GridcoKey);
            var published = await _server.Ingest().PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("192.0.2.12")) });
            Assert.Equal(1, published.Ack.AcceptedCount);
        }
        finally
        {
            open.ForEach(call => call.Dispose());
        }
    }

    [Theory]
    [InlineData("StreamsPerKey", "0")]
    [InlineData("StreamsTotal", "-1")]
    [InlineData("IngestStreamsPerKey", "0")]
    [InlineData("IngestStreamsTotal", "0")]
    public async Task ALimitThatAllowsNoStreamStopsTheServerAtStart(string setting, string value)
    {
        var misconfigured = new ServerFixture { ExtraArguments = [$"--Cirt:Security:{setting}", value] };
        try
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(misconfigured.InitializeAsync);
            Assert.Contains($"Cirt:Security:{setting}", ex.Message);
        }
        finally
        {
            await misconfigured.DisposeAsync();
        }
    }

    /// <summary>Opens an ingest stream and has one batch acknowledged on it: the stream is then open on the server.</summary>
    private async Task<AsyncDuplexStreamingCall<StreamRequest, StreamResponse>> IngestAsync(string key, CancellationToken cancellationToken)
    {
        var call = _server.Ingest(key).Stream(cancellationToken: cancellationToken);
        try
        {
            try
            {
                await call.RequestStream.WriteAsync(new StreamRequest { Batch = Events.Batch(Events.Infected("192.0.2.11")) }, cancellationToken);
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                // A refused stream can end while its first batch is still being written (the write then
                // fails as cancelled): the answer the server gave is read from the response stream below.
            }

            if (!await call.ResponseStream.MoveNext(cancellationToken))
            {
                throw new InvalidOperationException("The ingest stream ended without an acknowledgement.");
            }

            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }
}
