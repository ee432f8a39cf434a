namespace Cirt.Server.Federation;

/// <summary>A delivery this instance refused: who claimed to send it, whose key called, the status answered and why.</summary>
public sealed record InboundRefusalEntry(
    long Position,
    DateTimeOffset At,
    string ClaimedSender,
    string KeyPartnerId,
    string MessageId,
    string Status,
    string Reason);
