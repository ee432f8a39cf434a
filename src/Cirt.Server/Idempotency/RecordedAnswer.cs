namespace Cirt.Server.Idempotency;

/// <summary>
/// What the ledger holds for one request: the digest of the request it answered (its canonical
/// bytes without request_id, <see cref="RequestDigests"/>), the answer as sent (protobuf bytes) and when.
/// </summary>
public sealed record RecordedAnswer(byte[] RequestDigest, byte[] Response, DateTimeOffset RecordedAt);
