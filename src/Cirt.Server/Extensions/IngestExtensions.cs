using Cirt.Server.Feeds;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;

namespace Cirt.Server.Extensions;

public static class IngestExtensions
{
    /// <summary>
    /// The automated-event path: the durable log with group commit, the aggregator behind it and its
    /// state store, the memory given back after a large pass, the retention pruner, their options and
    /// meter. The stores follow the storage profile: the embedded files (ingest.db, ingest-state.db;
    /// in memory for the Memory profile), one aggregator; or, in the cluster, PostgreSQL shared by
    /// every silo, the aggregator whichever silo holds the lease.
    /// </summary>
    public static WebApplicationBuilder AddCirtIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<IngestOptions>(builder.Configuration.GetSection(IngestOptions.Section), o => o.Problems());
        builder.Services.AddSingleton<IngestMeter>();
        builder.Services.AddSingleton<ConstituencyIndexProvider>();
        builder.Services.AddSingleton<FeedDirectory>();
        var storage = (builder.Configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions()).Storage;
        if (storage == StorageProfile.Cluster)
        {
            builder.Services.AddSingleton<IIngestLogStore, PostgresIngestLogStore>();
            builder.Services.AddSingleton<PostgresAggregationLease>();
            builder.Services.AddSingleton<IAggregationLease>(services => services.GetRequiredService<PostgresAggregationLease>());
            builder.Services.AddSingleton<IIngestStateStore, PostgresIngestStateStore>();
            builder.Services.AddSingleton<IIngestRetentionStore, PostgresIngestRetention>();
        }
        else
        {
            // IngestDatabase comes with the profile's storage (StorageExtensions.AddCirtStorage).
            builder.Services.AddSingleton<IIngestLogStore, SqliteIngestLogStore>();
            builder.Services.AddSingleton<IAggregationLease, SoleAggregator>();
            builder.Services.AddSingleton<SqliteIngestStateStore>();
            builder.Services.AddSingleton<IIngestStateStore>(services => services.GetRequiredService<SqliteIngestStateStore>());
            builder.Services.AddSingleton<IIngestRetentionStore, SqliteIngestRetention>();
        }

        builder.Services.AddSingleton<IngestLog>();
        builder.Services.AddSingleton<EventIntake>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestLog>());
        builder.Services.AddSingleton<IngestAggregator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestAggregator>());
        builder.Services.AddHostedService<MemoryAfterLargePass>();
        builder.Services.AddCheckedOptions<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section), o => o.Problems());
        builder.Services.AddSingleton<IngestPruner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestPruner>());
        return builder;
    }
}
