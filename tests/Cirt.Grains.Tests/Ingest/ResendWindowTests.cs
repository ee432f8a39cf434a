using Cirt.Grains.Ingest;

namespace Cirt.Grains.Tests.Ingest;

public sealed class ResendWindowTests
{
    [Fact]
    public void Keys_are_remembered_once_added_and_not_before()
    {
        var window = new ResendWindow(100);
        var placement = window.Place(2);

        Assert.False(window.Contains(1));
        window.Add(placement, [1, 2]);

        Assert.True(window.Contains(1));
        Assert.True(window.Contains(2));
        Assert.False(window.Contains(3));
        Assert.Equal(new ResendWindow.Placement(0, null), placement);
    }

    [Fact]
    public void A_pass_that_would_overflow_the_generation_starts_a_new_one_and_the_one_before_the_current_is_forgotten()
    {
        var window = new ResendWindow(100);
        Record(window, 0, 40);         // generation 0: 40 keys
        var second = Record(window, 1_000, 20); // 60 > 50: generation 1, nothing older to forget yet
        var third = Record(window, 2_000, 35);  // 20 + 35 > 50: generation 2, generation 0 forgotten

        Assert.Equal(new ResendWindow.Placement(1, null), second);
        Assert.Equal(new ResendWindow.Placement(2, 0), third);
        Assert.False(window.Contains(0));
        Assert.True(window.Contains(1_000));
        Assert.True(window.Contains(2_034));
        Assert.Equal(55, window.Count);
    }

    [Fact]
    public void Every_key_of_the_last_half_capacity_is_remembered_whatever_came_before()
    {
        const int Capacity = 1_000;
        var window = new ResendWindow(Capacity);
        for (var pass = 0; pass < 100; pass++)
        {
            Record(window, pass * 1_000L, 37);
        }

        var lastKeys = Enumerable.Range(0, 100).SelectMany(p => Enumerable.Range(0, 37).Select(k => (p * 1_000L) + k)).TakeLast(Capacity / 2);
        Assert.All(lastKeys, key => Assert.True(window.Contains(key), $"key {key} forgotten"));
        Assert.InRange(window.Count, Capacity / 2, Capacity);
    }

    [Fact]
    public void Loading_the_stored_runs_in_order_gives_back_the_same_window()
    {
        var original = new ResendWindow(100);
        var runs = new List<(ResendWindow.Placement Placement, long[] Keys)>();
        for (var pass = 0; pass < 7; pass++)
        {
            var keys = Enumerable.Range(0, 30).Select(k => (pass * 100L) + k).ToArray();
            var placement = original.Place(keys.Length);
            original.Add(placement, keys);
            runs.Add((placement, keys));
            // What storage does when a generation is forgotten: its runs are deleted.
            if (placement.Forgotten is { } forgotten)
            {
                runs.RemoveAll(r => r.Placement.Generation <= forgotten);
            }
        }

        var loaded = new ResendWindow(100);
        foreach (var (placement, keys) in runs)
        {
            loaded.Add(placement with { Forgotten = null }, keys);
        }

        Assert.Equal(original.Generation, loaded.Generation);
        Assert.Equal(original.Count, loaded.Count);
        Assert.All(Enumerable.Range(0, 700), key => Assert.Equal(original.Contains(key), loaded.Contains(key)));
    }

    [Fact]
    public void A_pass_larger_than_half_the_capacity_is_refused_with_the_rule()
    {
        var window = new ResendWindow(100);

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => window.Place(51));

        Assert.Contains("at least twice the largest pass", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generation_holds_at_most_half_the_capacity_keys_of_an_oversized_converted_run_beyond_that_are_not_remembered()
    {
        var window = new ResendWindow(100);

        // Runs converted from the former key table: all of generation 0, more keys than it holds.
        window.Add(new ResendWindow.Placement(0, null), Enumerable.Range(0, 80).Select(k => (long)k));

        Assert.Equal(50, window.Count);
        Assert.True(window.Contains(49));
        Assert.False(window.Contains(50));
        // The next pass starts a new generation rather than overflow the full one.
        Assert.Equal(new ResendWindow.Placement(1, null), window.Place(1));
    }

    private static ResendWindow.Placement Record(ResendWindow window, long first, int count)
    {
        var keys = Enumerable.Range(0, count).Select(k => first + k).ToArray();
        var placement = window.Place(keys.Length);
        window.Add(placement, keys);
        return placement;
    }
}
