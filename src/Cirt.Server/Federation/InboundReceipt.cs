namespace Cirt.Server.Federation;

/// <summary>A message accepted from a partner: its digest, and the signed receipt answered (a resend gets it again).</summary>
/// <param name="ReceiptKey">The fingerprint of our key that signed the receipt.</param>
public sealed record InboundReceipt(string MessageId, long Sequence, string PayloadDigest, string Receipt, byte[] Signature, string ReceiptKey);
