using Orleans.Storage;

namespace Cirt.Server.Storage;

/// <summary>
/// Orleans' ADO.NET grain storage on the embedded SQLite file, its writes taken through the file's
/// writer slot (<see cref="SqliteDatabase.WriteAsync{T}(Func{Task{T}})"/>) like every other writer
/// of the file, so that concurrent grain writes queue instead of sleeping on a busy file. Reads go
/// straight through: write-ahead logging lets them run beside a writer.
/// </summary>
public sealed class SqliteWriteGatedGrainStorage(IGrainStorage inner, SqliteDatabase database)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        database.WriteAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        database.WriteAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Wraps the grain storage registered under <paramref name="name"/> (registered just before).</summary>
    public static void Decorate(IServiceCollection services, string name, SqliteDatabase database)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var create = registered.KeyedImplementationFactory
                     ?? throw new InvalidOperationException($"Grain storage '{name}' is not registered through a factory; it cannot be wrapped.");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new SqliteWriteGatedGrainStorage((IGrainStorage)create(provider, key), database));
    }
}
