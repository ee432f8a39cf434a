using Cirt.Grains.Common;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Cirt.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>The ingest store contract on the cluster profile's PostgreSQL, a database of the test's own, the aggregation lease held.</summary>
public sealed class PostgresIngestStoreContractTests : IngestStoreContract
{
    protected override async Task<IngestStores> OpenAsync(RetentionOptions retention)
    {
        var test = await ClusterServices.CreateDatabaseAsync("cirtingest");
        var database = PostgresDatabase.Open(test.ConnectionString, PostgresIngest.Scripts);
        var lease = new PostgresAggregationLease(database, Options.Create(new IngestOptions()), NullLogger<PostgresAggregationLease>.Instance);
        await lease.AcquireAsync(CancellationToken.None);
        var clock = new CirtClock(Time);
        return new IngestStores(
            new PostgresIngestLogStore(database, clock), new PostgresIngestStateStore(database, lease, clock),
            new PostgresIngestRetention(database, Options.Create(retention)),
            async () =>
            {
                await lease.DisposeAsync();
                database.Dispose();
                await test.DisposeAsync();
            });
    }
}
