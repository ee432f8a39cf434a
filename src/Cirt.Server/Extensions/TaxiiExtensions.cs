using Cirt.Server.Api;
using Cirt.Server.Federation;
using Cirt.Server.Http;
using Cirt.Server.Storage;
using Cirt.Server.Taxii;

namespace Cirt.Server.Extensions;

public static class TaxiiExtensions
{
    /// <summary>The file in the data folder holding the key that signs TAXII next tokens and the gRPC lists' page tokens (mode 0600; none for the Memory profile).</summary>
    public const string NextTokenKeyFile = TokenSecret.FileName;

    /// <summary>The read-only TAXII 2.1 server for partner CIRTs, served under /taxii2/ on the HTTP endpoint; reads the federation store (<see cref="FederationExtensions.AddCirtFederation"/>).</summary>
    public static WebApplicationBuilder AddCirtTaxii(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services =>
        {
            var identity = services.GetRequiredService<FederationIdentity>();
            return new TaxiiServer(identity.InstanceId, identity.Country);
        });
        builder.Services.AddSingleton<CollectionLedger>();
        builder.Services.AddSingleton<PartnerCollections>();
        builder.Services.AddSingleton(services => TokenSecret.Load(services.GetRequiredService<CirtOptions>(), services.GetService<ClusterSecrets>()));
        builder.Services.AddSingleton(services => new NextTokens(services.GetRequiredService<TokenSecret>().Key));
        builder.Services.AddSingleton(services => new SignedPageTokens(services.GetRequiredService<TokenSecret>().Key));
        return builder;
    }

    public static WebApplication MapCirtTaxii(this WebApplication app)
    {
        var taxii = app.MapGroup("/taxii2").ServedOnHttpEndpoint().AddEndpointFilter<TaxiiGate>();
        taxii.MapGet("/", TaxiiApi.Discovery);
        taxii.MapGet("/cirt/", TaxiiApi.ApiRoot);
        taxii.MapGet("/cirt/collections/", TaxiiApi.Collections);
        taxii.MapGet("/cirt/collections/{collectionId}/", TaxiiApi.Collection);
        taxii.MapGet("/cirt/collections/{collectionId}/objects/", TaxiiApi.Objects);
        taxii.MapPost("/cirt/collections/{collectionId}/objects/", TaxiiApi.AddObjects);
        taxii.MapGet("/cirt/collections/{collectionId}/objects/{objectId}/", TaxiiApi.Object);
        taxii.MapGet("/cirt/collections/{collectionId}/objects/{objectId}/versions/", TaxiiApi.ObjectVersions);
        taxii.MapGet("/cirt/collections/{collectionId}/manifest/", TaxiiApi.Manifest);
        taxii.Map("/{**rest}", TaxiiApi.NoSuchResource);
        return app;
    }
}
