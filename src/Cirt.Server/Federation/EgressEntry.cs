using Cirt.Grains.Partners;

namespace Cirt.Server.Federation;

/// <summary>What left for a partner, byte for byte: the payload sent, its digest and length, who queued and who approved it.</summary>
public sealed record EgressEntry(
    long Position,
    string MessageId,
    string PartnerId,
    SharedItemKind Kind,
    string ItemId,
    long ItemVersion,
    ShareAction Action,
    string Payload,
    string PayloadDigest,
    long PayloadBytes,
    DateTimeOffset SentAt,
    string QueuedBy,
    string ApprovedBy);
