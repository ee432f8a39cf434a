namespace Cirt.Grains.Ingest;

/// <summary>
/// Target sightings in the order they were added, kept in chunks of a fixed size: a pass adds
/// millions, and a list grown by doubling would hold up to twice what it needs and leave each
/// outgrown array behind as large-object garbage. <see cref="Clear"/> keeps the chunks it used for
/// the next use.
/// </summary>
public sealed class TargetSightings
{
    /// <summary>Sightings a chunk holds (1 MiB).</summary>
    public const int ChunkSize = 1 << 16;

    private readonly List<TargetSighting[]> _chunks = [];

    public int Count { get; private set; }

    public void Add(TargetSighting sighting)
    {
        var chunk = Count / ChunkSize;
        if (chunk == _chunks.Count)
        {
            _chunks.Add(new TargetSighting[ChunkSize]);
        }

        _chunks[chunk][Count % ChunkSize] = sighting;
        Count++;
    }

    /// <summary>Sightings <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>, in order, chunk by chunk.</summary>
    public IEnumerable<ReadOnlyMemory<TargetSighting>> Range(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        while (count > 0)
        {
            var (chunk, at) = (start / ChunkSize, start % ChunkSize);
            var length = Math.Min(count, ChunkSize - at);
            yield return new ReadOnlyMemory<TargetSighting>(_chunks[chunk], at, length);
            (start, count) = (start + length, count - length);
        }
    }

    /// <summary>Every sighting, in order.</summary>
    public IEnumerable<TargetSighting> All() => Range(0, Count).SelectMany(chunk => chunk.ToArray());

    /// <summary>Empties the list; keeps as many chunks as it used, lets go of those it did not need this time.</summary>
    public void Clear()
    {
        var used = (Count + ChunkSize - 1) / ChunkSize;
        _chunks.RemoveRange(used, _chunks.Count - used);
        Count = 0;
    }
}
