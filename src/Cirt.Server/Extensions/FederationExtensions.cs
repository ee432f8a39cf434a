using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Cirt.Server.Storage;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Extensions;

public static class FederationExtensions
{
    /// <summary>
    /// Exchange with partner CIRTs: the options (checked at start), this instance's identity (its
    /// signing key and pseudonym secret, created at first start in the data folder; in memory for the
    /// Memory profile unless Cirt:Federation:SigningKeyFile names a file; shared by every silo through
    /// PostgreSQL in the cluster profile unless that file is named), the federation
    /// store (federation.db; in memory for the Memory profile; PostgreSQL in the cluster profile), the share queue the grains use, the
    /// outbox dispatcher, and the checks on what partners deliver.
    /// </summary>
    public static WebApplicationBuilder AddCirtFederation(this WebApplicationBuilder builder)
    {
        var federationSection = builder.Configuration.GetSection(FederationOptions.Section);
        var deliverySection = builder.Configuration.GetSection(DeliveryOptions.Section);
        // Both checked by StartupChecks before anything is built.
        builder.Services.AddCheckedOptions<FederationOptions>(federationSection, o => o.Problems());
        builder.Services.AddCheckedOptions<DeliveryOptions>(deliverySection, o => o.Problems());
        builder.Services.AddSingleton(services =>
        {
            var cirt = services.GetRequiredService<CirtOptions>();
            var federation = services.GetRequiredService<IOptions<FederationOptions>>().Value;
            if (cirt.Storage == StorageProfile.Memory && federation.SigningKeyFile is null)
            {
                return FederationIdentity.CreateInMemory(federation);
            }

            if (cirt.Storage == StorageProfile.Cluster)
            {
                return FederationIdentity.LoadForCluster(federation, services.GetRequiredService<ClusterSecrets>());
            }

            var keyFile = federation.SigningKeyFile ?? Path.Combine(Path.GetFullPath(cirt.DataDirectory), "federation-signing-key.pem");
            return FederationIdentity.LoadOrCreate(federation, keyFile);
        });
        // The store: federation.db (in memory for the Memory profile), or the cluster's PostgreSQL,
        // shared by every silo (PostgresDatabase is registered by AddCirtClusterStorage).
        var storage = (builder.Configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions()).Storage;
        if (storage == StorageProfile.Cluster)
        {
            builder.Services.AddSingleton<IFederationStore>(services => new PostgresFederationStore(services.GetRequiredService<PostgresDatabase>()));
        }
        else
        {
            builder.Services.AddSingleton(services =>
            {
                var cirt = services.GetRequiredService<CirtOptions>();
                return cirt.Storage == StorageProfile.Memory ? FederationStore.CreateInMemory() : FederationStore.Create(Path.GetFullPath(cirt.DataDirectory));
            });
            builder.Services.AddSingleton<IFederationStore>(services => services.GetRequiredService<FederationStore>());
        }

        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        // The grains of this silo resolve the outbox from the same container.
        builder.Services.AddSingleton<IShareQueue, ShareQueue>();
        builder.Services.AddSingleton<InboundDelivery>();
        return builder;
    }

    public static WebApplication MapCirtFederation(this WebApplication app)
    {
        app.MapGrpcService<PartnerGrpcService>();
        app.MapGrpcService<FederationGrpcService>();
        return app;
    }
}
