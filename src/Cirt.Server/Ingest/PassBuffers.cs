using Cirt.Grains.Ingest;

namespace Cirt.Server.Ingest;

/// <summary>
/// The large collections of a pass (the keys of the events it stores, its changes to the duplicate
/// window), reused: once a pass is written they are emptied, keeping their size, and serve a later
/// pass. Grown afresh every pass, a set of a million keys would be large-object garbage each time.
/// </summary>
public sealed class PassBuffers
{
    private readonly Stack<HashSet<long>> _keySets = new();
    private readonly Stack<TargetSightings> _sightings = new();

    /// <summary>A pass starting after log position <paramref name="after"/>, beside the keys of the pass still being written.</summary>
    public IngestPass NewPass(long after, HashSet<long>? inFlight) => new(after, inFlight, _keySets.TryPop(out var keys) ? keys : []);

    /// <summary>An empty list for what a pass changed in the duplicate window.</summary>
    public TargetSightings Sightings() => _sightings.TryPop(out var sightings) ? sightings : new TargetSightings();

    /// <summary>Takes back a pass's key set (of a pass written, or of one that found nothing to read).</summary>
    public void Return(HashSet<long> keys)
    {
        keys.Clear();
        _keySets.Push(keys);
    }

    /// <summary>
    /// Takes back a written pass's sightings. A list that held the whole duplicate window
    /// (<paramref name="wholeWindow"/>) is let go: kept, it would hold that much memory for good.
    /// </summary>
    public void Return(TargetSightings sightings, bool wholeWindow)
    {
        if (!wholeWindow)
        {
            sightings.Clear();
            _sightings.Push(sightings);
        }
    }
}
