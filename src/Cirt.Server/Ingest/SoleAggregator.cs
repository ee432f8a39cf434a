namespace Cirt.Server.Ingest;

/// <summary>The embedded and memory profiles' lease: one server, always the aggregator.</summary>
public sealed class SoleAggregator : IAggregationLease
{
    public bool Held => true;

    public Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);

    public Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
