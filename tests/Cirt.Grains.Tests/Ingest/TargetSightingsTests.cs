using Cirt.Grains.Ingest;

namespace Cirt.Grains.Tests.Ingest;

public sealed class TargetSightingsTests
{
    [Fact]
    public void Sightings_come_back_in_order_across_chunks_and_any_range_of_them()
    {
        var sightings = new TargetSightings();
        var count = (2 * TargetSightings.ChunkSize) + 10;
        for (var i = 0; i < count; i++)
        {
            sightings.Add(new TargetSighting((ulong)i, -i));
        }

        Assert.Equal(count, sightings.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), sightings.All().Select(s => s.Key));
        var start = TargetSightings.ChunkSize - 5;
        var range = sightings.Range(start, TargetSightings.ChunkSize + 10).ToArray();
        Assert.Equal([5, TargetSightings.ChunkSize, 5], range.Select(chunk => chunk.Length));
        Assert.Equal(Enumerable.Range(start, TargetSightings.ChunkSize + 10).Select(i => (long)-i), range.SelectMany(chunk => chunk.ToArray()).Select(s => s.At));
        Assert.Throws<ArgumentOutOfRangeException>(() => sightings.Range(count - 1, 2).ToArray());
    }

    [Fact]
    public void Cleared_it_is_empty_and_fills_again_from_the_start()
    {
        var sightings = new TargetSightings();
        sightings.Add(new TargetSighting(1, 1));
        sightings.Add(new TargetSighting(2, 2));

        sightings.Clear();
        sightings.Add(new TargetSighting(3, 3));

        Assert.Equal([new TargetSighting(3, 3)], sightings.All());
    }

    [Fact]
    public void Cleared_after_a_smaller_use_it_fills_again_past_the_chunks_it_let_go()
    {
        var sightings = new TargetSightings();
        for (var i = 0; i < (3 * TargetSightings.ChunkSize); i++)
        {
            sightings.Add(new TargetSighting((ulong)i, i));
        }

        sightings.Clear();
        sightings.Add(new TargetSighting(1, 1));
        sightings.Clear();
        for (var i = 0; i < (2 * TargetSightings.ChunkSize) + 1; i++)
        {
            sightings.Add(new TargetSighting((ulong)i, i));
        }

        Assert.Equal((2 * TargetSightings.ChunkSize) + 1, sightings.Count);
        Assert.Equal(Enumerable.Range(0, (2 * TargetSightings.ChunkSize) + 1).Select(i => (ulong)i), sightings.All().Select(s => s.Key));
    }
}
