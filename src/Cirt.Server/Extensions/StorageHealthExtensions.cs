using Cirt.Server.Storage;

namespace Cirt.Server.Extensions;

public static class StorageHealthExtensions
{
    /// <summary>
    /// A full disk as an answer: whether storage takes writes (<see cref="StorageHealth"/>), the
    /// free-space watcher and its settings (Cirt:FreeSpace), the health check that reports both, and
    /// the quieting of others' per-failure error lines while the disk is full (<see cref="StorageLogQuieting"/>).
    /// Call before <see cref="StorageExtensions.AddCirtOrleans"/>: the watcher connects the databases
    /// to <see cref="StorageHealth"/> before the silo starts writing.
    /// </summary>
    public static WebApplicationBuilder AddCirtStorageHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<FreeSpaceOptions>(builder.Configuration.GetSection(FreeSpaceOptions.Section), o => o.Problems());
        var quieting = new StorageLogQuieting();
        builder.Services.AddSingleton(services => quieting.Health = ActivatorUtilities.CreateInstance<StorageHealth>(services));
        quieting.AddTo(builder.Logging, builder.Configuration);
        builder.Services.AddSingleton<FreeSpaceWatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FreeSpaceWatcher>());
        return builder;
    }
}
