namespace Cirt.Server.Idempotency;

/// <summary>
/// The answers to requests sent with a request id, kept for the idempotency window
/// (<see cref="IdempotencyOptions"/>) so that a retry gets the first answer, and the claims of the
/// calls answering them right now, so that a duplicate arriving meanwhile waits instead of running
/// twice. The embedded profile keeps answers in its SQLite database (<see cref="SqliteRequestLedger"/>),
/// the Memory profile in memory (<see cref="InMemoryRequestLedger"/>), both with claims in the process
/// (one silo); the cluster profile keeps both in PostgreSQL (<see cref="PostgresRequestLedger"/>), so
/// the same request id reaching two silos at once runs on one of them.
/// </summary>
public interface IRequestLedger
{
    /// <summary>The answer recorded for <paramref name="key"/> at or after <paramref name="notBefore"/>, or null.</summary>
    Task<RecordedAnswer?> FindAsync(RequestKey key, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="claim"/>'s holder, unless the request was
    /// answered within the window (its answer) or another holder's claim has not expired (held). An
    /// answer older than the window, an expired claim, or the holder's own claim is taken over.
    /// </summary>
    Task<ClaimOutcome> ClaimAsync(RequestKey key, RequestClaim claim, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="holder"/>'s claim on <paramref name="key"/> by <paramref name="lifetime"/> from now; false when it no longer holds it.</summary>
    Task<bool> RenewAsync(RequestKey key, Guid holder, TimeSpan lifetime);

    /// <summary>Gives up <paramref name="holder"/>'s claim on <paramref name="key"/> (the call failed and changed nothing): the next call runs.</summary>
    Task ReleaseAsync(RequestKey key, Guid holder);

    /// <summary>Records <paramref name="answer"/> for <paramref name="key"/>, replacing a claim or one older than the window.</summary>
    Task RecordAsync(RequestKey key, RecordedAnswer answer);

    /// <summary>Forgets the answers recorded before <paramref name="before"/> (and claims made before it that have expired); how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before);
}
