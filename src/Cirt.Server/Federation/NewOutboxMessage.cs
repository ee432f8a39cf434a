using Cirt.Grains.Partners;

namespace Cirt.Server.Federation;

/// <summary>A message to put in the outbox: held (personal data found) or queued.</summary>
/// <param name="NoteKey">Tells apart messages of one item version and action (a note's id); empty otherwise.</param>
/// <param name="Payload">The payload's canonical JSON.</param>
/// <param name="Findings">Personal data found, a JSON array; "[]" for a queued message.</param>
public sealed record NewOutboxMessage(
    string PartnerId,
    SharedItemKind Kind,
    string ItemId,
    long ItemVersion,
    ShareAction Action,
    string NoteKey,
    OutboxState State,
    string Payload,
    string PayloadDigest,
    string Findings,
    DateTimeOffset QueuedAt,
    string QueuedBy);
