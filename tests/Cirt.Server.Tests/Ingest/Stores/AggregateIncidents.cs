using System.Collections.Concurrent;
using Cirt.Grains.Ingest;
using Orleans.Runtime;

namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>
/// The automated incidents as the aggregators of several silos see them, shared like grain storage:
/// each counts the events of its aggregates and, as the real incident does, ignores an aggregate
/// up to a log position it already counted. Only event-aggregate grains are served.
/// </summary>
public sealed class AggregateIncidents : IGrainFactory
{
    private readonly ConcurrentDictionary<string, (long UpToSeq, long Events)> _incidents = new(StringComparer.Ordinal);

    /// <summary>Events counted per incident key.</summary>
    public IReadOnlyDictionary<string, long> Events => _incidents.ToDictionary(i => i.Key, i => i.Value.Events, StringComparer.Ordinal);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey =>
        typeof(TGrainInterface) == typeof(IEventAggregateGrain)
            ? (TGrainInterface)(object)new Incident(this, primaryKey)
            : throw Unsupported();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw Unsupported();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey => throw Unsupported();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw Unsupported();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw Unsupported();

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw Unsupported();

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw Unsupported();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unsupported();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unsupported();

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unsupported();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unsupported();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unsupported();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw Unsupported();

    public IAddressable GetGrain(GrainId grainId) => throw Unsupported();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unsupported();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw Unsupported();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw Unsupported();

    private static NotSupportedException Unsupported() => new("Only event-aggregate grains are served to the aggregators under test.");

    private sealed class Incident(AggregateIncidents incidents, string key) : IEventAggregateGrain
    {
        public Task<AggregateApplied> ApplyAsync(EventAggregate aggregate)
        {
            var opened = false;
            incidents._incidents.AddOrUpdate(key,
                _ =>
                {
                    opened = true;
                    return (aggregate.UpToSeq, aggregate.NewEvents);
                },
                (_, current) => aggregate.UpToSeq <= current.UpToSeq ? current : (aggregate.UpToSeq, current.Events + aggregate.NewEvents));
            return Task.FromResult(new AggregateApplied(key, opened));
        }
    }
}
