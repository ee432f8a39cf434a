using System.Collections.Concurrent;

namespace Cirt.Server.Idempotency;

/// <summary>The Memory profile's ledger: gone with the process, like everything else there.</summary>
public sealed class InMemoryRequestLedger : IRequestLedger
{
    private readonly ConcurrentDictionary<RequestKey, RecordedAnswer> _answers = new();
    private readonly ProcessClaims _claims = new();

    public Task<RecordedAnswer?> FindAsync(RequestKey key, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        Task.FromResult(_answers.TryGetValue(key, out var answer) && answer.RecordedAt >= notBefore ? answer : null);

    public async Task<ClaimOutcome> ClaimAsync(RequestKey key, RequestClaim claim, CancellationToken cancellationToken)
    {
        if (_claims.TryTake(key, claim) is { } heldDigest)
        {
            return ClaimOutcome.HeldWith(heldDigest);
        }

        // Looked up after the claim is taken: an answer recorded (and its claim removed) meanwhile is found.
        if (await FindAsync(key, claim.NotBefore, cancellationToken) is { } answer)
        {
            _claims.Remove(key, claim.Holder);
            return ClaimOutcome.AnsweredWith(answer);
        }

        return ClaimOutcome.Won;
    }

    public Task<bool> RenewAsync(RequestKey key, Guid holder, TimeSpan lifetime) => Task.FromResult(_claims.Renew(key, holder, lifetime));

    public Task ReleaseAsync(RequestKey key, Guid holder)
    {
        _claims.Remove(key, holder);
        return Task.CompletedTask;
    }

    public Task RecordAsync(RequestKey key, RecordedAnswer answer)
    {
        _answers[key] = answer;
        _claims.Remove(key, holder: null);
        return Task.CompletedTask;
    }

    public Task<int> PruneAsync(DateTimeOffset before)
    {
        var pruned = _claims.RemoveExpired();
        foreach (var (key, answer) in _answers)
        {
            if (answer.RecordedAt < before && _answers.TryRemove(new KeyValuePair<RequestKey, RecordedAnswer>(key, answer)))
            {
                pruned++;
            }
        }

        return Task.FromResult(pruned);
    }
}
