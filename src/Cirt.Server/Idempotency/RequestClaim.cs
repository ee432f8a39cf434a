namespace Cirt.Server.Idempotency;

/// <summary>
/// One call's claim on a request key (<see cref="IRequestLedger.ClaimAsync"/>): who holds it (one
/// id per call), what the request asks (its digest), when it was made by the silo's clock, the
/// idempotency window's start (an answer recorded before it no longer counts), and how long the claim
/// lasts unless renewed: a claim whose holder died expires, and another call may take it over.
/// </summary>
public sealed record RequestClaim(Guid Holder, byte[] RequestDigest, DateTimeOffset ClaimedAt, DateTimeOffset NotBefore, TimeSpan Lifetime);
