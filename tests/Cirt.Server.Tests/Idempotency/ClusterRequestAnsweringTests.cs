using Cirt.Grains.Common;
using Cirt.Server.Idempotency;
using Cirt.Server.Tests.Storage;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>
/// The same request id reaching several silos of a cluster (a console retry moving to the next
/// server): each silo with its own connections to one PostgreSQL ledger, as separate server processes
/// have. The request runs once, every caller gets its answer, and a silo that dies holding a claim
/// does not block the request for longer than the claim lives.
/// </summary>
public sealed class ClusterRequestAnsweringTests : IAsyncLifetime
{
    private static readonly RequestKey Key = new("k1", "/cirt.v1.IncidentService/AddNote", "retry-1");
    private static readonly byte[] Digest = [1, 2, 3];

    private PostgresTestSilos? _silos;
    private int _runs;

    public async Task InitializeAsync() => _silos = await PostgresTestSilos.CreateAsync("cirtanswer");

    public async Task DisposeAsync() => await _silos!.DisposeAsync();

    [Fact]
    public async Task ARetryOnAnotherSiloGetsTheFirstAnswerWithoutRunningAgain()
    {
        var (first, second) = (Silo(), Silo());

        var fresh = await first.AnswerOnceAsync(Key, Digest, () => Run("note n-1 added"), Encode, CancellationToken.None);
        var retry = await second.AnswerOnceAsync(Key, Digest, () => Run("note n-2 added"), Encode, CancellationToken.None);

        Assert.Equal("note n-1 added", fresh.Fresh);
        Assert.Null(retry.Fresh);
        Assert.Equal("note n-1 added", System.Text.Encoding.UTF8.GetString(retry.Recorded!.Response));
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task TheSameIdForAnotherRequestIsRefusedWhetherTheFirstIsAnsweredOrStillRunning()
    {
        var (first, second) = (Silo(), Silo());
        var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCall = first.AnswerOnceAsync(Key, Digest, () => RunUntil(running.Task), Encode, CancellationToken.None);
        await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref _runs)), runs => runs == 1, "The first call never ran.");

        var whileRunning = await Assert.ThrowsAsync<RpcException>(() => second.AnswerOnceAsync(Key, [9], () => Run("other"), Encode, CancellationToken.None));
        running.SetResult("note n-1 added");
        await firstCall;
        var afterwards = await Assert.ThrowsAsync<RpcException>(() => second.AnswerOnceAsync(Key, [9], () => Run("other"), Encode, CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, whileRunning.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, afterwards.StatusCode);
        Assert.Contains("request_id", afterwards.Status.Detail);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task ManyCallersOnTwoSilosAtOnceRunTheRequestOnceAndAllGetItsAnswer()
    {
        var silos = new[] { Silo(), Silo() };
        var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => silos[i % 2].AnswerOnceAsync(Key, Digest, () => RunUntil(running.Task), Encode, CancellationToken.None)))
            .ToArray();
        await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref _runs)), runs => runs >= 1, "No caller ever ran the request.");
        running.SetResult("incident i-1 triaged");
        var answers = await Task.WhenAll(callers);

        Assert.Equal(1, _runs);
        Assert.Single(answers, answer => answer.Fresh is not null);
        Assert.All(answers, answer => Assert.Equal("incident i-1 triaged", answer.Fresh ?? System.Text.Encoding.UTF8.GetString(answer.Recorded!.Response)));
    }

    [Fact]
    public async Task AClaimLeftByADeadSiloExpiresAndAnotherSiloRunsTheRequest()
    {
        var dead = new PostgresRequestLedger(_silos!.Open());
        var claimed = await dead.ClaimAsync(Key, new RequestClaim(Guid.NewGuid(), Digest, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromMilliseconds(500)), CancellationToken.None);
        Assert.Equal(ClaimState.Won, claimed.State);

        var taken = await Silo().AnswerOnceAsync(Key, Digest, () => Run("note n-1 added"), Encode, CancellationToken.None);

        Assert.Equal("note n-1 added", taken.Fresh);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task ADuplicateOfACallRunningLongerThanItsClaimLifetimeIsToldAbortedAndRunsNothing()
    {
        var lifetime = IdempotencyOptions.MinClaimLifetime;
        var (first, second) = (Silo(lifetime), Silo(lifetime));
        var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCall = first.AnswerOnceAsync(Key, Digest, () => RunUntil(running.Task), Encode, CancellationToken.None);
        await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref _runs)), runs => runs == 1, "The first call never ran.");

        // The first call renews its claim while it runs: the duplicate waits a whole lifetime, then gives up.
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => second.AnswerOnceAsync(Key, Digest, () => Run("twice"), Encode, CancellationToken.None));
        running.SetResult("note n-1 added");
        await firstCall;
        var retry = await second.AnswerOnceAsync(Key, Digest, () => Run("twice"), Encode, CancellationToken.None);

        Assert.Equal(StatusCode.Aborted, duplicate.StatusCode);
        Assert.Contains("retry with the same request_id", duplicate.Status.Detail);
        Assert.Equal("note n-1 added", System.Text.Encoding.UTF8.GetString(retry.Recorded!.Response));
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task AFailedCallReleasesItsClaimSoARetryOnAnotherSiloRunsAtOnce()
    {
        var first = Silo();

        await Assert.ThrowsAsync<RpcException>(() => first.AnswerOnceAsync<string>(
            Key, Digest, () => throw new RpcException(new Status(StatusCode.NotFound, "incident i-9 was not found")), Encode, CancellationToken.None));
        var next = await new PostgresRequestLedger(_silos!.Open()).ClaimAsync(
            Key, new RequestClaim(Guid.NewGuid(), Digest, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromMinutes(1)), CancellationToken.None);

        Assert.Equal(ClaimState.Won, next.State);
    }

    private RequestAnswering Silo(TimeSpan? claimLifetime = null) => new(
        new PostgresRequestLedger(_silos!.Open()),
        CirtClock.SystemClock,
        Options.Create(new IdempotencyOptions { ClaimLifetime = claimLifetime ?? new IdempotencyOptions().ClaimLifetime }),
        NullLogger<RequestAnswering>.Instance);

    private Task<string> Run(string answer)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(answer);
    }

    private async Task<string> RunUntil(Task<string> answer)
    {
        Interlocked.Increment(ref _runs);
        return await answer;
    }

    private static byte[] Encode(string answer) => System.Text.Encoding.UTF8.GetBytes(answer);
}
