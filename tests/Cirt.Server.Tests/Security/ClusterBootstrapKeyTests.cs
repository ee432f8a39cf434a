using Cirt.Grains.Security;
using Cirt.Server.Extensions;
using Cirt.Server.Security;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// Silos starting together on an empty cluster: exactly one issues the bootstrap coordinator key (into
/// its own data folder), the others find it issued. The silos share one grain layer, as the silos of a
/// cluster do (here one Orleans host in memory), and each has its own data folder and its own
/// connections to the cluster's PostgreSQL database.
/// </summary>
public sealed class ClusterBootstrapKeyTests : IAsyncLifetime
{
    private const int Silos = 4;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cirt-cluster-bootstrap-");
    private PostgresTestSilos? _database;
    private IHost? _grains;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestSilos.CreateAsync("cirtbootstrap");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next());
            silo.AddCirtStorage(new CirtOptions { Storage = StorageProfile.Memory });
        });
        _grains = builder.Build();
        await _grains.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _grains!.StopAsync();
        _grains.Dispose();
        await _database!.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task OfSilosStartingTogetherOnAnEmptyClusterExactlyOneIssuesTheBootstrapKey()
    {
        var grains = _grains!.Services.GetRequiredService<IGrainFactory>();
        var folders = Enumerable.Range(0, Silos).Select(i => Path.Combine(_folder.FullName, "silo" + i)).ToArray();

        await Task.WhenAll(folders.Select(folder => Task.Run(() => new KeyBootstrapService(
            grains,
            Options.Create(new SecurityOptions()),
            new CirtOptions { Storage = StorageProfile.Cluster, DataDirectory = folder },
            NullLogger<KeyBootstrapService>.Instance,
            _database!.Open()).StartAsync(CancellationToken.None))));

        var keys = await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).ListAsync();
        var written = folders.Select(folder => Path.Combine(folder, KeyBootstrapService.DefaultFileName)).Where(File.Exists).ToArray();
        var key = Assert.Single(keys);
        var file = Assert.Single(written);
        Assert.True(ApiKeyToken.TryParse((await File.ReadAllTextAsync(file)).Trim(), out var keyId, out _));
        Assert.Equal(key.Principal.KeyId, keyId);
        Assert.Equal(Role.Coordinator, key.Principal.Role);
    }
}
