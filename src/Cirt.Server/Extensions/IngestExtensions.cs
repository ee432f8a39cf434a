using Cirt.Server.Ingest;

namespace Cirt.Server.Extensions;

public static class IngestExtensions
{
    /// <summary>The automated-event path: the durable log with group commit, the aggregator behind it and its state store, their options and meter.</summary>
    public static WebApplicationBuilder AddCirtIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection(IngestOptions.Section))
            .Validate(o => o.DuplicateWindowTargets >= 2, $"{IngestOptions.Section}:{nameof(IngestOptions.DuplicateWindowTargets)} must be at least 2.")
            .Validate(o => o.AggregationPassEvents >= 1 && o.AggregationFlushEvents >= 1, $"{IngestOptions.Section}: the aggregation sizes must be at least 1.")
            .Validate(o => o.ResendWindowEvents >= 2 * (o.AggregationFlushEvents + o.AggregationPassEvents + o.MaxBatchEvents),
                $"{IngestOptions.Section}:{nameof(IngestOptions.ResendWindowEvents)} must be at least twice the largest pass " +
                $"(2 x ({nameof(IngestOptions.AggregationFlushEvents)} + {nameof(IngestOptions.AggregationPassEvents)} + {nameof(IngestOptions.MaxBatchEvents)})): a pass's keys join one half of the window whole.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IngestMeter>();
        builder.Services.AddSingleton<ConstituencyIndexProvider>();
        builder.Services.AddSingleton<IngestStateStore>();
        builder.Services.AddSingleton<IngestLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestLog>());
        builder.Services.AddSingleton<IngestAggregator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestAggregator>());
        return builder;
    }
}
