using Cirt.Server.Ingest;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>One server's view of the ingest stores of a profile, as the contract suite uses them; disposing closes (and drops) what it opened.</summary>
public sealed class IngestStores(IIngestLogStore log, IIngestStateStore state, IIngestRetentionStore retention, Func<ValueTask> dispose) : IAsyncDisposable
{
    public IIngestLogStore Log { get; } = log;

    public IIngestStateStore State { get; } = state;

    public IIngestRetentionStore Retention { get; } = retention;

    public ValueTask DisposeAsync() => dispose();
}
