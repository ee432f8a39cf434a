using System.Diagnostics.Metrics;
using Cirt.Grains.Common;
using Cirt.Server.Ingest;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>
/// The ingest path of one cluster silo over a shared PostgreSQL database: its log (group commit),
/// its candidate aggregator with the lease, writing into the shared <see cref="AggregateIncidents"/>.
/// </summary>
public sealed class ClusterIngestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private bool _stopped;

    public ClusterIngestSilo(PostgresDatabase database, IngestOptions options, IStakeholderDirectory directory, IGrainFactory incidents)
    {
        var (clock, wrapped) = (CirtClock.SystemClock, Options.Create(options));
        var meter = new IngestMeter(_metrics.GetRequiredService<IMeterFactory>(), clock);
        Lease = new PostgresAggregationLease(database, wrapped, NullLogger<PostgresAggregationLease>.Instance);
        State = new PostgresIngestStateStore(database, Lease, clock);
        Log = new IngestLog(new PostgresIngestLogStore(database, clock), wrapped, meter, NullLogger<IngestLog>.Instance);
        Aggregator = new IngestAggregator(Log, State, Lease, new ConstituencyIndexProvider(directory, NullLogger<ConstituencyIndexProvider>.Instance),
            incidents, wrapped, meter, _metrics.GetRequiredService<IMeterFactory>(), clock, NullLogger<IngestAggregator>.Instance);
    }

    public PostgresAggregationLease Lease { get; }

    public PostgresIngestStateStore State { get; }

    public IngestLog Log { get; }

    public IngestAggregator Aggregator { get; }

    public async Task StartAsync()
    {
        await Log.StartAsync(CancellationToken.None);
        await Aggregator.StartAsync(CancellationToken.None);
    }

    /// <summary>Appends a batch through this silo's log; its position once committed.</summary>
    public async Task<long> AppendAsync(string producer, params Contracts.V1.Event[] events)
    {
        var batch = new PendingBatch(producer, Events.Batch(events), "");
        Assert.True(await Log.TryEnqueueAsync(batch, CancellationToken.None));
        return await batch.Durable.Task;
    }

    /// <summary>
    /// Dies as a killed process does: stops renewing the lease without giving it up (another silo
    /// takes it once it expires), abandons the pass under way, stops its log.
    /// </summary>
    public async Task KillAsync()
    {
        await Lease.DisposeAsync();
        await StopAsync(); // the lease is dead already: the aggregator's stop finds no epoch to give up
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Lease.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await Aggregator.StopAsync(CancellationToken.None);
        await Log.StopAsync(CancellationToken.None);
    }
}
