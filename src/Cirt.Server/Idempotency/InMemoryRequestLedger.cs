using System.Collections.Concurrent;

namespace Cirt.Server.Idempotency;

/// <summary>The Memory profile's ledger: gone with the process, like everything else there.</summary>
public sealed class InMemoryRequestLedger : IRequestLedger
{
    private readonly ConcurrentDictionary<RequestKey, RecordedAnswer> _answers = new();

    public Task<RecordedAnswer?> FindAsync(RequestKey key, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        Task.FromResult(_answers.TryGetValue(key, out var answer) && answer.RecordedAt >= notBefore ? answer : null);

    public Task RecordAsync(RequestKey key, RecordedAnswer answer)
    {
        _answers[key] = answer;
        return Task.CompletedTask;
    }

    public Task<int> PruneAsync(DateTimeOffset before)
    {
        var pruned = 0;
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
