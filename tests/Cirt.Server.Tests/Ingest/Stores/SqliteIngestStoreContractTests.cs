using Cirt.Grains.Common;
using Cirt.Server.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>The ingest store contract on the embedded profile's files (ingest.db, ingest-state.db) in a folder of the test's own.</summary>
public sealed class SqliteIngestStoreContractTests : IngestStoreContract
{
    protected override Task<IngestStores> OpenAsync(RetentionOptions retention)
    {
        var directory = Directory.CreateTempSubdirectory("cirt-ingest-contract-").FullName;
        var database = IngestDatabase.Create(directory);
        var clock = new CirtClock(Time);
        var state = new SqliteIngestStateStore(database, clock);
        return Task.FromResult(new IngestStores(
            new SqliteIngestLogStore(database, clock, NullLogger<IngestLog>.Instance), state,
            new SqliteIngestRetention(database, state, Options.Create(retention)),
            () =>
            {
                database.Dispose();
                Directory.Delete(directory, recursive: true);
                return ValueTask.CompletedTask;
            }));
    }
}
