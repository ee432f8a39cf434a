using Cirt.Server.IntelMq;

namespace Cirt.Server.Extensions;

public static class IntelMqExtensions
{
    /// <summary>
    /// IntelMQ's events in (POST /v1/intelmq/events), on the HTTP endpoint only, through the one
    /// ingest path (<see cref="Ingest.EventIntake"/>, from <see cref="IngestExtensions.AddCirtIngest"/>).
    /// </summary>
    public static WebApplication MapCirtIntelMq(this WebApplication app)
    {
        app.MapPost(IntelMqEndpoint.Path, IntelMqEndpoint.PostAsync)
            .ServedOnHttpEndpoint()
            .AddEndpointFilter<IntelMqGate>();
        return app;
    }
}
