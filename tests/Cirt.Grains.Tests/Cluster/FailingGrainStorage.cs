using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>
/// The silo's grain storage, made to fail on demand as a full disk would: writes of the grains a
/// test chooses throw until it calls <see cref="Recover"/>. Reads and other grains go straight through.
/// </summary>
public sealed class FailingGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile Func<GrainId, bool> _failing = _ => false;
    private int _failedWrites;

    /// <summary>How many writes failed since the last <see cref="FailWritesOf"/>.</summary>
    public int FailedWrites => Volatile.Read(ref _failedWrites);

    /// <summary>From now on, every write of a grain <paramref name="which"/> picks fails.</summary>
    public void FailWritesOf(Func<GrainId, bool> which)
    {
        Volatile.Write(ref _failedWrites, 0);
        _failing = which;
    }

    /// <summary>Storage works again.</summary>
    public void Recover() => _failing = _ => false;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!_failing(grainId))
        {
            return inner.WriteStateAsync(stateName, grainId, grainState);
        }

        Interlocked.Increment(ref _failedWrites);
        return Task.FromException(new IOException("No space left on device (a test made the grain storage fail)"));
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Wraps the grain storage registered under <paramref name="name"/>.</summary>
    public static void Decorate(IServiceCollection services, string name)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var create = registered.KeyedImplementationFactory
                     ?? throw new InvalidOperationException($"Grain storage '{name}' is not registered through a factory; it cannot be wrapped.");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new FailingGrainStorage((IGrainStorage)create(provider, key)));
    }
}
