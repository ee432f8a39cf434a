using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Cirt.Server.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class UnreadMetricsTests
{
    [Fact]
    public async Task WithoutAScrapeEndpointOrOtlpNothingIsMeasuredAndTheServerWorks()
    {
        var server = new ServerFixture { ExtraArguments = ["--Cirt:Metrics:Url", ""] };
        await server.InitializeAsync();
        try
        {
            Assert.Equal("", server.MetricsAddress);
            // No meter provider: no instrument has a listener, and recording a measurement costs nothing.
            Assert.Null(server.Services.GetService<MeterProvider>());
            var response = await server.Reporting().SubmitIncidentAsync(Reports.Valid());
            Assert.NotEmpty(response.TrackingId);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
