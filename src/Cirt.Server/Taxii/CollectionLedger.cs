using Cirt.Grains.Common;
using Cirt.Server.Federation;

namespace Cirt.Server.Taxii;

/// <summary>
/// What each partner's collection holds: the partner's outbox messages that the sharing policy let
/// through and that are sendable (queued or delivered; never held, failed or discarded), each with
/// the date it entered the collection (table taxii_added of the federation store). That date is given
/// once: a message queued directly enters at its queue time; one approved after it was held enters
/// when the server first sees it approved (the outbox does not record when it was approved, and a
/// later date is the safe side). Either way never before a date already given in the collection, so
/// that <c>added_after</c> the last date a client saw, or a <c>next</c> token, misses nothing added
/// later. It also records what left through TAXII: when a partner's key first read each message's objects.
/// </summary>
public sealed class CollectionLedger(IFederationStore store, CirtClock clock)
{
    /// <summary>The partner's sendable messages in collection order (date added, then message id), dating the ones new to it first; their payloads come from <see cref="PayloadsAsync"/>.</summary>
    public Task<IReadOnlyList<LedgerEntry>> ReadAsync(string partnerId, CancellationToken cancellationToken) =>
        store.CollectionAsync(partnerId, clock.GetUtcNow(), cancellationToken);

    /// <summary>The payloads of <paramref name="messageIds"/> (canonical JSON: exactly what the sharing policy let leave), by message id.</summary>
    public Task<IReadOnlyDictionary<string, string>> PayloadsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) =>
        store.PayloadsAsync(messageIds, cancellationToken);

    /// <summary>
    /// Records that <paramref name="keyId"/> of <paramref name="partnerId"/> has read the objects of
    /// <paramref name="messageIds"/> (table taxii_served: what left through TAXII, and when first);
    /// returns the messages read for the first time.
    /// </summary>
    public Task<IReadOnlyList<string>> RecordServedAsync(string partnerId, string keyId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) =>
        store.RecordServedAsync(partnerId, keyId, messageIds, clock.GetUtcNow(), cancellationToken);
}
