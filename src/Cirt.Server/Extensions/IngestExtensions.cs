using Cirt.Server.Feeds;
using Cirt.Server.Ingest;

namespace Cirt.Server.Extensions;

public static class IngestExtensions
{
    /// <summary>The automated-event path: the durable log with group commit, the aggregator behind it and its state store, the memory given back after a large pass, the retention pruner, their options and meter.</summary>
    public static WebApplicationBuilder AddCirtIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<IngestOptions>(builder.Configuration.GetSection(IngestOptions.Section), o => o.Problems());
        builder.Services.AddSingleton<IngestMeter>();
        builder.Services.AddSingleton<ConstituencyIndexProvider>();
        builder.Services.AddSingleton<FeedDirectory>();
        builder.Services.AddSingleton<IngestStateStore>();
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
