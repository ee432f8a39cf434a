namespace Cirt.Server.Idempotency;

/// <summary>
/// The answers to requests sent with a request id, kept for the idempotency window
/// (<see cref="IdempotencyOptions"/>) so that a retry gets the first answer. The embedded profile
/// keeps them in its SQLite database (<see cref="SqliteRequestLedger"/>), the Memory profile in
/// memory (<see cref="InMemoryRequestLedger"/>).
/// </summary>
public interface IRequestLedger
{
    /// <summary>The answer recorded for <paramref name="key"/> at or after <paramref name="notBefore"/>, or null.</summary>
    Task<RecordedAnswer?> FindAsync(RequestKey key, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="answer"/> for <paramref name="key"/>, replacing one older than the window.</summary>
    Task RecordAsync(RequestKey key, RecordedAnswer answer);

    /// <summary>Forgets the answers recorded before <paramref name="before"/>; how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before);
}
