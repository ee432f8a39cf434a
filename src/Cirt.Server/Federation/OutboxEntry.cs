using Cirt.Grains.Partners;

namespace Cirt.Server.Federation;

/// <summary>One message to one partner as the outbox holds it.</summary>
/// <param name="Position">Its place in the outbox: queue order, and the key the lists page by.</param>
/// <param name="Payload">The payload's canonical JSON, the exact text that leaves (redacted when held).</param>
/// <param name="Findings">Personal data found, as a JSON array of cirt.v1.PersonalDataFinding.</param>
/// <param name="Receipt">The partner's receipt (canonical JSON), once delivered; empty before.</param>
public sealed record OutboxEntry(
    long Position,
    string MessageId,
    string PartnerId,
    SharedItemKind Kind,
    string ItemId,
    long ItemVersion,
    ShareAction Action,
    string NoteKey,
    OutboxState State,
    long Sequence,
    int Attempts,
    DateTimeOffset QueuedAt,
    string QueuedBy,
    DateTimeOffset? DeliveredAt,
    string LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? NextAttemptAt,
    string Payload,
    string PayloadDigest,
    string Findings,
    string DecidedBy,
    string DiscardReason,
    string Receipt,
    byte[]? ReceiptSignature,
    string ReceiptKey);
