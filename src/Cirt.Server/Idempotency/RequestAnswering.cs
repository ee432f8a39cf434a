using Cirt.Grains.Common;
using Cirt.Server.Api;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Idempotency;

/// <summary>
/// Answers a request once, however many silos it reaches: the call claims its key in the ledger
/// (<see cref="IRequestLedger.ClaimAsync"/>); the winner runs it, renewing the claim while it runs, and
/// records the answer (or releases the claim when the call fails, so a retry runs again); a duplicate
/// finds the answer, or waits for the live claim to end (answered, released, or expired because its
/// silo died, then taken over) for at most <see cref="IdempotencyOptions.ClaimLifetime"/>, after which
/// it is told ABORTED: retry with the same request_id. The same id for a different request is refused
/// with INVALID_ARGUMENT on request_id, whether its first request is answered or still running.
/// </summary>
public sealed class RequestAnswering(
    IRequestLedger ledger,
    CirtClock clock,
    IOptions<IdempotencyOptions> options,
    ILogger<RequestAnswering> logger)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The fresh answer of <paramref name="run"/> (recorded as <paramref name="toRecord"/> gives it),
    /// or, when the request was answered before, the recorded answer and no run.
    /// </summary>
    public async Task<(T? Fresh, RecordedAnswer? Recorded)> AnswerOnceAsync<T>(
        RequestKey key, byte[] digest, Func<Task<T>> run, Func<T, byte[]> toRecord, CancellationToken cancellationToken)
        where T : class
    {
        var settings = options.Value;
        var holder = Guid.NewGuid();
        var waitingSince = TimeProvider.System.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            var now = clock.GetUtcNow();
            var outcome = await ledger.ClaimAsync(key, new RequestClaim(holder, digest, now, now - settings.Window, settings.ClaimLifetime), cancellationToken);
            if (outcome.State == ClaimState.Won)
            {
                return (await RunClaimedAsync(key, digest, holder, run, toRecord), null);
            }

            RefuseReuse(key, digest, outcome.Answer?.RequestDigest ?? outcome.HeldDigest!);
            if (outcome.Answer is { } answer)
            {
                return (null, answer);
            }

            if (TimeProvider.System.GetElapsedTime(waitingSince) >= settings.ClaimLifetime)
            {
                RpcErrors.Throw(StatusCode.Aborted,
                    $"Request '{FieldRules.Shorten(key.RequestId)}' is still being answered (by this server or another one of the cluster); "
                    + "retry with the same request_id to get its answer.");
            }

            await Task.Delay(poll, cancellationToken);
            poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
        }
    }

    private async Task<T> RunClaimedAsync<T>(RequestKey key, byte[] digest, Guid holder, Func<Task<T>> run, Func<T, byte[]> toRecord)
    {
        T first;
        using (var stop = new CancellationTokenSource())
        {
            var renewing = RenewWhileRunningAsync(key, holder, stop.Token);
            try
            {
                first = await run();
            }
            catch
            {
                await stop.CancelAsync();
                await renewing;
                await ReleaseAsync(key, holder);
                throw;
            }

            await stop.CancelAsync();
            await renewing;
        }

        try
        {
            await ledger.RecordAsync(key, new RecordedAnswer(digest, toRecord(first), clock.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // The change is made: the caller hears so. A retry finds the incident's own memory of
            // the request (other records answer a retry as a new request would).
            logger.LogWarning(ex, "Request {RequestId} of key {KeyId} to {Method} answered but not recorded for retries", key.RequestId, key.KeyId, key.Method);
            await ReleaseAsync(key, holder);
        }

        return first;
    }

    /// <summary>Keeps the claim alive while its call runs: renewed every third of its lifetime, so only a dead holder's claim expires.</summary>
    private async Task RenewWhileRunningAsync(RequestKey key, Guid holder, CancellationToken stop)
    {
        var lifetime = options.Value.ClaimLifetime;
        using var timer = new PeriodicTimer(lifetime / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (!await ledger.RenewAsync(key, holder, lifetime))
                {
                    logger.LogWarning("Request {RequestId} of key {KeyId} to {Method} ran longer than its claim could be kept; another call may run it too", key.RequestId, key.KeyId, key.Method);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Request {RequestId} of key {KeyId} to {Method}: its claim could not be renewed and may expire while it runs", key.RequestId, key.KeyId, key.Method);
        }
    }

    private async Task ReleaseAsync(RequestKey key, Guid holder)
    {
        try
        {
            await ledger.ReleaseAsync(key, holder);
        }
        catch (Exception ex)
        {
            // It expires on its own: a retry meanwhile waits for it, then runs.
            logger.LogWarning(ex, "Request {RequestId} of key {KeyId} to {Method}: its claim could not be released; it expires after {Lifetime}", key.RequestId, key.KeyId, key.Method, options.Value.ClaimLifetime);
        }
    }

    private static void RefuseReuse(RequestKey key, byte[] digest, byte[] firstDigest)
    {
        if (!firstDigest.AsSpan().SequenceEqual(digest))
        {
            Violations.ThrowOne(RequestDigests.Field, $"'{FieldRules.Shorten(key.RequestId)}' {RecentRequests.Reused}");
        }
    }
}
