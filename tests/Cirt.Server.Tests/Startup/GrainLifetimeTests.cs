using Cirt.Grains.Incidents;
using Cirt.Grains.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Cirt.Server.Tests.Startup;

/// <summary>Cirt:Grains reaches the silo: idle grains go after their age, incident and aggregate grains after theirs.</summary>
public sealed class GrainLifetimeTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new()
    {
        ExtraArguments = ["--Cirt:Grains:IdleAfter", "00:20:00", "--Cirt:Grains:IncidentsIdleAfter", "00:03:00"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public void TheSiloCollectsIdleGrainsAfterTheConfiguredAges()
    {
        var collection = _server.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal((TimeSpan.FromMinutes(20), GrainLifetimeOptions.CollectionQuantum), (collection.CollectionAge, collection.CollectionQuantum));
        Assert.Equal(TimeSpan.FromMinutes(3), collection.ClassSpecificCollectionAge[typeof(IncidentGrain).FullName!]);
        Assert.Equal(TimeSpan.FromMinutes(3), collection.ClassSpecificCollectionAge[typeof(EventAggregateGrain).FullName!]);
    }
}
