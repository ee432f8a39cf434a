using Cirt.Grains.Partners;
using Cirt.Server.Taxii;

namespace Cirt.Server.Federation;

/// <summary>
/// Every read and write of the exchange with partner CIRTs: the durable outbox and its sequence
/// numbers, the claims that let one dispatcher at a time deliver a partner's outbox, the egress
/// audit, the messages accepted from partners with the receipts answered, the deliveries refused,
/// and what each partner's TAXII collection holds. Two adapters: <see cref="FederationStore"/>
/// (SQLite, federation.db: the embedded and memory profiles) and <see cref="PostgresFederationStore"/>
/// (the cluster profile, shared by every silo). Every write is durable before it returns.
/// </summary>
public interface IFederationStore
{
    /// <summary>
    /// Puts <paramref name="message"/> in the outbox with a new message id, unless a message of the
    /// same partner, item version, action and note is there already: then that one is returned as
    /// it stands, so asking twice queues once.
    /// </summary>
    Task<OutboxEntry> EnqueueAsync(NewOutboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>The outbox message <paramref name="messageId"/>; null when there is none.</summary>
    Task<OutboxEntry?> GetAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Where each of <paramref name="messageIds"/> stands; ids not in the outbox are left out.</summary>
    Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Outbox messages newest first, of one partner and one state when given, before <paramref name="before"/> (0: from the newest).</summary>
    Task<StorePage<OutboxEntry>> ListOutboxAsync(string? partnerId, OutboxState? state, int pageSize, long before, CancellationToken cancellationToken = default);

    /// <summary>The partner's oldest queued message: the next to deliver, in queue order.</summary>
    Task<OutboxEntry?> NextQueuedAsync(string partnerId, CancellationToken cancellationToken = default);

    /// <summary>The partners with messages waiting for delivery.</summary>
    Task<IReadOnlyList<string>> PartnersWithQueuedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes, or renews, the claim to deliver <paramref name="partnerId"/>'s outbox for
    /// <paramref name="lease"/>: granted when nobody holds it, when <paramref name="holder"/> holds it
    /// already (same fence), or when the last holder's lease has lapsed (a new fence). Otherwise the
    /// claim as another holds it, with when it lapses.
    /// </summary>
    Task<DeliveryClaim> ClaimDeliveryAsync(string partnerId, string holder, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Gives <paramref name="claim"/> up at once (nothing left to deliver, or stopping): another holder may take it.</summary>
    Task ReleaseDeliveryAsync(DeliveryClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// The message's place in its partner's sequence: given once, the next after the last given,
    /// and stored before the message is first sent, so that a resend carries the same number. Null
    /// when <paramref name="claim"/> is no longer the partner's (nothing given).
    /// </summary>
    Task<long?> AssignSequenceAsync(DeliveryClaim claim, string messageId, CancellationToken cancellationToken = default);

    /// <summary>A delivery that did not get through: the message stays queued and is tried again at <paramref name="nextAttemptAt"/>. False when the claim was lost or the message is not queued.</summary>
    Task<bool> RecordFailedAttemptAsync(DeliveryClaim claim, string messageId, int attempts, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt,
        CancellationToken cancellationToken = default);

    /// <summary>The partner refused the message for good: it is failed, with why, and the partner's next messages go on. False when the claim was lost or the message is not queued.</summary>
    Task<bool> MarkFailedAsync(DeliveryClaim claim, string messageId, int attempts, string error, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// The partner acknowledged the message with a verified receipt: delivered, the receipt kept, and
    /// what left recorded in the egress audit, in one transaction. False when the claim was lost or
    /// the message is not queued (nothing written).
    /// </summary>
    Task<bool> MarkDeliveredAsync(DeliveryClaim claim, OutboxEntry message, int attempts, string receipt, byte[] signature, string receiptKey, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>A held message approved: queued with its redacted payload, the approver recorded. False unless it was held.</summary>
    Task<bool> ApproveAsync(string messageId, string actor, CancellationToken cancellationToken = default);

    /// <summary>A held message discarded with a reason: it never leaves. False unless it was held.</summary>
    Task<bool> DiscardAsync(string messageId, string reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>How deliveries to <paramref name="partnerId"/> stand: messages per state, the last error and delivery, the next attempt.</summary>
    Task<DeliveryCounts> CountsAsync(string partnerId, CancellationToken cancellationToken = default);

    /// <summary>What left, newest first, for one partner when given.</summary>
    Task<StorePage<EgressEntry>> ListEgressAsync(string? partnerId, int pageSize, long before, CancellationToken cancellationToken = default);

    /// <summary>The message <paramref name="messageId"/> accepted from <paramref name="partnerId"/> before, with the receipt answered; null when new.</summary>
    Task<InboundReceipt?> FindInboundAsync(string partnerId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The last sequence accepted from <paramref name="partnerId"/>; 0 before the first.</summary>
    Task<long> LastInboundSequenceAsync(string partnerId, CancellationToken cancellationToken = default);

    /// <summary>The messages accepted from <paramref name="partnerId"/>, in the order accepted (their ids and sequences).</summary>
    Task<IReadOnlyList<InboundReceipt>> InboundOfAsync(string partnerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A message accepted from <paramref name="partnerId"/>: its id, digest and receipt kept, its
    /// sequence the last accepted, in one transaction; stored once per message id. Returns the receipt
    /// stored: <paramref name="accepted"/>, or the first one when the same message was recorded before
    /// (the same delivery taken by two silos at once).
    /// </summary>
    Task<InboundReceipt> RecordInboundAsync(string partnerId, InboundReceipt accepted, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a refused delivery; the oldest rows beyond <see cref="FederationStore.RefusalsKept"/> go.</summary>
    Task RecordRefusalAsync(InboundRefusalEntry refusal, CancellationToken cancellationToken = default);

    /// <summary>Refused deliveries, newest first.</summary>
    Task<StorePage<InboundRefusalEntry>> ListRefusalsAsync(int pageSize, long before, CancellationToken cancellationToken = default);

    /// <summary>
    /// The partner's TAXII collection: its sendable outbox messages (queued or delivered) in
    /// collection order (date added, then message id). Messages new to the collection are dated
    /// first, in queue order, never before a date already given: a message queued directly at its
    /// queue time, one approved after it was held at <paramref name="now"/>.
    /// </summary>
    Task<IReadOnlyList<LedgerEntry>> CollectionAsync(string partnerId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The payloads of <paramref name="messageIds"/> (canonical JSON), by message id.</summary>
    Task<IReadOnlyDictionary<string, string>> PayloadsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="keyId"/> of <paramref name="partnerId"/> read the objects of <paramref name="messageIds"/> at <paramref name="at"/>; returns the messages read for the first time.</summary>
    Task<IReadOnlyList<string>> RecordServedAsync(string partnerId, string keyId, IReadOnlyCollection<string> messageIds, DateTimeOffset at,
        CancellationToken cancellationToken = default);
}
