using Cirt.Server.Idempotency;
using Cirt.Server.Storage;

namespace Cirt.Server.Extensions;

public static class IdempotencyExtensions
{
    /// <summary>
    /// Safe retries (<see cref="IdempotencyInterceptor"/>, added to gRPC by AddCirtGrpc): the request
    /// ledger of the storage profile (the embedded database's table, the cluster's PostgreSQL table
    /// shared by every silo, or memory), pruned past <c>Cirt:Idempotency:Window</c>.
    /// </summary>
    public static WebApplicationBuilder AddCirtIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<IdempotencyOptions>(builder.Configuration.GetSection(IdempotencyOptions.Section), o => o.Problems());
        var storage = (builder.Configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions()).Storage;
        switch (storage)
        {
            case StorageProfile.Embedded:
                builder.Services.AddSingleton<IRequestLedger>(services => new SqliteRequestLedger(services.GetRequiredService<SqliteDatabase>()));
                break;
            case StorageProfile.Cluster:
                builder.Services.AddSingleton<IRequestLedger>(services => new PostgresRequestLedger(services.GetRequiredService<PostgresDatabase>()));
                break;
            default:
                builder.Services.AddSingleton<IRequestLedger, InMemoryRequestLedger>();
                break;
        }

        builder.Services.AddSingleton<RequestGate>();
        builder.Services.AddSingleton<RequestAnswering>();
        builder.Services.AddHostedService<RequestLedgerPruning>();
        return builder;
    }
}
