using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Grains.Tests.Advisories;
using Cirt.Server;
using Cirt.Server.Extensions;
using Cirt.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>
/// A test silo configured as the server configures its own, with the memory storage profile, its
/// grain storage and read model wrapped so that tests can make them fail (<see cref="FailingGrainStorage"/>,
/// <see cref="FailingIncidentQueue"/>), and an outbox that records what advisories hand it
/// (<see cref="RecordingShareQueue"/>).
/// </summary>
public sealed class CirtSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddCirtStorage(new CirtOptions { Storage = StorageProfile.Memory, SeedDirectory = Seeds.Directory });
        FailingGrainStorage.Decorate(siloBuilder.Services, StorageNames.Cirt);
        FailingIncidentQueue.Decorate(siloBuilder.Services);
        siloBuilder.Services.AddSingleton<IShareQueue, RecordingShareQueue>();
    }
}
