using Cirt.Grains.Common;
using Cirt.Server;
using Cirt.Server.Extensions;
using Cirt.Server.Storage;
using Orleans.TestingHost;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>
/// A test silo configured as the server configures its own, with the memory storage profile, its
/// grain storage and read model wrapped so that tests can make them fail (<see cref="FailingGrainStorage"/>,
/// <see cref="FailingIncidentQueue"/>).
/// </summary>
public sealed class CirtSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddCirtStorage(new CirtOptions { Storage = StorageProfile.Memory, SeedDirectory = Seeds.Directory });
        FailingGrainStorage.Decorate(siloBuilder.Services, StorageNames.Cirt);
        FailingIncidentQueue.Decorate(siloBuilder.Services);
    }
}
