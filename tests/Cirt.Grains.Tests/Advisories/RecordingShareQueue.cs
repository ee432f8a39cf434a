using System.Collections.Concurrent;
using Cirt.Grains.Advisories;
using Cirt.Grains.Partners;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// The outbox as the advisory grains see it, for grain tests: records every call and answers each
/// partner with a queued message (one id per advisory version, action and partner, as the real
/// outbox is idempotent). <see cref="FailNextCallFor"/> makes the next call for an advisory throw, as
/// an unreachable outbox would.
/// </summary>
public sealed class RecordingShareQueue : IShareQueue
{
    private readonly ConcurrentQueue<ShareCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _failing = new();

    /// <summary>A call the grains made.</summary>
    public sealed record ShareCall(string AdvisoryId, long Version, ShareAction Action, string[] PartnerIds, string Actor, bool Failed, Advisory Advisory);

    /// <summary>The calls made for <paramref name="advisoryId"/>, oldest first.</summary>
    public ShareCall[] CallsFor(string advisoryId) => _calls.Where(c => c.AdvisoryId == advisoryId).ToArray();

    /// <summary>The next call for <paramref name="advisoryId"/> throws.</summary>
    public void FailNextCallFor(string advisoryId) => _failing[advisoryId] = 1;

    public static string MessageId(string advisoryId, long version, ShareAction action, string partnerId) =>
        $"{advisoryId}/{version}/{action}/{partnerId}";

    public Task<ShareOutcome[]> ShareAdvisoryAsync(Advisory advisory, ShareAction action, IReadOnlyList<string> partnerIds, string actor)
    {
        var fail = _failing.TryRemove(advisory.Id, out _);
        _calls.Enqueue(new ShareCall(advisory.Id, advisory.Version, action, [.. partnerIds], actor, fail, advisory));
        if (fail)
        {
            return Task.FromException<ShareOutcome[]>(new IOException("The outbox is unreachable (a test made it fail)"));
        }

        return Task.FromResult(partnerIds
            .Select(p => new ShareOutcome(p, MessageId(advisory.Id, advisory.Version, action, p), OutboxState.Queued, advisory.Version, ""))
            .ToArray());
    }

    public Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds) =>
        Task.FromResult<IReadOnlyDictionary<string, OutboxState>>(messageIds.ToDictionary(id => id, _ => OutboxState.Queued));
}
