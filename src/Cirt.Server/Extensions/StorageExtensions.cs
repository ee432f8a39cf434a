using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Seeding;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace Cirt.Server.Extensions;

public static class StorageExtensions
{
    /// <summary>
    /// Hosts the Orleans silo in this process with the storage profile chosen by Cirt:Storage:
    /// grain state, the read model and the reference data the grains need.
    /// </summary>
    public static WebApplicationBuilder AddCirtOrleans(this WebApplicationBuilder builder, TimeProvider clock)
    {
        var options = builder.Configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddCheckedOptions<DeadlineOptions>(builder.Configuration.GetSection(DeadlineOptions.Section), o => o.Problems());
        builder.Services.AddCheckedOptions<ContactOptions>(builder.Configuration.GetSection(ContactOptions.Section), o => o.Problems());
        builder.Services.AddCheckedOptions<Cirt.Grains.Advisories.AdvisoryOptions>(builder.Configuration.GetSection(Cirt.Grains.Advisories.AdvisoryOptions.Section), o => o.Problems());
        builder.Services.AddCheckedOptions<GrainLifetimeOptions>(builder.Configuration.GetSection(GrainLifetimeOptions.Section), o => o.Problems());
        var lifetimes = builder.Configuration.GetSection(GrainLifetimeOptions.Section).Get<GrainLifetimeOptions>() ?? new GrainLifetimeOptions();
        var connections = options.Storage == StorageProfile.Cluster ? ClusterConnections.From(builder.Configuration) : null;
        builder.UseOrleans(silo =>
        {
            if (connections is null)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
            }
            else
            {
                silo.AddCirtClusterMembership(options, connections);
            }

            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            silo.AddCirtStorage(options, clock, connections);
            // Grain calls carry the caller's trace: one report is one trace, gRPC to grain to storage.
            silo.AddActivityPropagation();
            // Deadline checks are reminders; let them run as often as configured (tests use seconds).
            var checkPeriod = builder.Configuration.GetSection(DeadlineOptions.Section).Get<DeadlineOptions>()?.CheckPeriod ?? new DeadlineOptions().CheckPeriod;
            silo.Configure<ReminderOptions>(reminders =>
                reminders.MinimumReminderPeriod = checkPeriod < reminders.MinimumReminderPeriod ? checkPeriod : reminders.MinimumReminderPeriod);
            // Idle grains leave memory on a schedule (GrainLifetimeOptions): after a large aggregation
            // pass, its incident and aggregate grains go within minutes, not a quarter of an hour.
            silo.Configure<GrainCollectionOptions>(collection =>
            {
                collection.CollectionQuantum = GrainLifetimeOptions.CollectionQuantum;
                collection.CollectionAge = lifetimes.IdleAfter;
                collection.ClassSpecificCollectionAge[typeof(IncidentGrain).FullName!] = lifetimes.IncidentsIdleAfter;
                collection.ClassSpecificCollectionAge[typeof(Cirt.Grains.Ingest.EventAggregateGrain).FullName!] = lifetimes.IncidentsIdleAfter;
            });
        });
        return builder;
    }

    /// <summary>Grain storage and query side for <paramref name="options"/>' profile, plus the services grains depend on.</summary>
    /// <param name="connections">The cluster profile's services; required by it, ignored by the others.</param>
    public static ISiloBuilder AddCirtStorage(this ISiloBuilder silo, CirtOptions options, TimeProvider? clock = null, ClusterConnections? connections = null)
    {
        silo.Services.AddSingleton(clock is null ? CirtClock.SystemClock : new CirtClock(clock));
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<DeadlineMeter>();
        silo.Services.AddSingleton(SeedFiles.LoadTaxonomy(options.ResolveSeedDirectory()));
        silo.Services.AddSingleton<SeedLoader>();

        switch (options.Storage)
        {
            case StorageProfile.Embedded:
                var database = new SqliteDatabase(options.DatabasePath());
                database.Migrate(Path.Combine(AppContext.BaseDirectory, "sql", "sqlite"));
                silo.Services.AddSingleton(database);
                silo.AddAdoNetGrainStorage(StorageNames.Cirt, storage =>
                {
                    storage.Invariant = SqliteDatabase.OrleansInvariant;
                    storage.DataSource = database.DataSource;
                });
                SqliteWriteGatedGrainStorage.Decorate(silo.Services, StorageNames.Cirt, database);
                // Orleans' binary format (version-tolerant through the [Id]s) instead of the default
                // JSON: several times faster and smaller, which matters for incidents fed by ingest.
                silo.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Cirt)
                    .Configure<Serializer>((storage, serializer) => storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
                silo.Services.AddSingleton(IngestDatabase.Create(Path.GetDirectoryName(database.Path)!));
                silo.Services.AddSingleton<IIncidentQueue, SqliteIncidentQueue>();
                silo.Services.AddSingleton<IStakeholderDirectory, SqliteStakeholderDirectory>();
                silo.AddReminders();
                silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
                break;
            case StorageProfile.Cluster:
                silo.AddCirtClusterStorage(options, connections
                    ?? throw new InvalidOperationException("The cluster profile needs its connection strings (ClusterConnections.From)."));
                break;
            case StorageProfile.Memory:
                silo.AddMemoryGrainStorage(StorageNames.Cirt);
                // The ingest log needs a database even here: one in memory, gone with the host.
                silo.Services.AddSingleton(_ => IngestDatabase.CreateInMemory());
                silo.Services.AddSingleton<IIncidentQueue, InMemoryIncidentQueue>();
                silo.Services.AddSingleton<IStakeholderDirectory, InMemoryStakeholderDirectory>();
                silo.UseInMemoryReminderService();
                break;
            default:
                throw new InvalidOperationException(
                    $"Unknown storage profile '{options.Storage}' (Cirt:Storage): use {string.Join(" or ", Enum.GetNames<StorageProfile>())}.");
        }

        // The cluster profile keeps pending-projection marks; the others need none (see UnmarkedProjections).
        silo.Services.TryAddSingleton<IProjectionMarks, UnmarkedProjections>();

        return silo;
    }
}
