namespace Cirt.Server.Ingest;

/// <summary>
/// Which server aggregates the ingest log: exactly one at a time. Embedded, the only one
/// (<see cref="SoleAggregator"/>); cluster, whoever holds the lease row in PostgreSQL, which moves
/// when its holder dies, with a fencing epoch every state write checks (<see cref="PostgresAggregationLease"/>).
/// </summary>
public interface IAggregationLease
{
    /// <summary>Whether this server aggregates now (retention prunes only there).</summary>
    bool Held { get; }

    /// <summary>
    /// Waits until this server is the aggregator; returns a token cancelled when it stops being it
    /// (another server took the lease over): the caller then abandons its pass and calls again.
    /// </summary>
    Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once (on shutdown), so that another server need not wait for it to expire.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}
