using Cirt.Grains.Ingest;

namespace Cirt.Grains.Tests.Ingest;

public sealed class DuplicateWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_repeat_within_the_window_is_a_duplicate_and_one_after_it_is_not()
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(1), 1_000);

        Assert.False(window.IsDuplicate("scan-feed", "scanner", "192.0.2.1", Start));
        Assert.True(window.IsDuplicate("scan-feed", "scanner", "192.0.2.1", Start.AddMinutes(59)));
        Assert.False(window.IsDuplicate("scan-feed", "scanner", "192.0.2.1", Start.AddMinutes(59 + 61)));
    }

    [Fact]
    public void Feed_type_and_target_all_make_the_key()
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(1), 1_000);
        window.IsDuplicate("scan-feed", "scanner", "192.0.2.1", Start);

        Assert.False(window.IsDuplicate("honeypot-ssh", "scanner", "192.0.2.1", Start));
        Assert.False(window.IsDuplicate("scan-feed", "brute-force", "192.0.2.1", Start));
        Assert.False(window.IsDuplicate("scan-feed", "scanner", "192.0.2.2", Start));
        // The separator keeps "a"+"bc" apart from "ab"+"c".
        window.IsDuplicate("a", "bc", "x", Start);
        Assert.False(window.IsDuplicate("ab", "c", "x", Start));
    }

    [Fact]
    public void A_target_is_remembered_while_fewer_than_half_the_capacity_of_others_followed_it()
    {
        const int Capacity = 100;
        var window = new DuplicateWindow(TimeSpan.FromHours(1), Capacity);
        window.IsDuplicate("feed", "scanner", "target-0", Start);
        for (var i = 1; i < Capacity / 2; i++)
        {
            window.IsDuplicate("feed", "scanner", $"other-{i}", Start);
        }

        Assert.True(window.IsDuplicate("feed", "scanner", "target-0", Start));
    }

    [Fact]
    public void Memory_is_bounded_a_flood_of_new_targets_makes_the_oldest_forgotten_and_counted_as_new()
    {
        const int Capacity = 100;
        var window = new DuplicateWindow(TimeSpan.FromHours(1), Capacity);
        window.IsDuplicate("feed", "scanner", "target-0", Start);
        for (var i = 1; i <= Capacity * 10; i++)
        {
            Assert.False(window.IsDuplicate("feed", "scanner", $"flood-{i}", Start));
        }

        Assert.False(window.IsDuplicate("feed", "scanner", "target-0", Start));
        // What was just seen is still recognised.
        Assert.True(window.IsDuplicate("feed", "scanner", $"flood-{Capacity * 10}", Start));
    }

    [Fact]
    public void A_target_seen_again_is_carried_into_the_new_generation()
    {
        const int Capacity = 10;
        var window = new DuplicateWindow(TimeSpan.FromHours(1), Capacity);
        window.IsDuplicate("feed", "scanner", "kept", Start);
        // Fill and rotate the generations, seeing "kept" again every few targets.
        for (var i = 0; i < 100; i++)
        {
            window.IsDuplicate("feed", "scanner", $"other-{i}", Start);
            if (i % 3 == 0)
            {
                Assert.True(window.IsDuplicate("feed", "scanner", "kept", Start), $"forgotten after {i + 1} others");
            }
        }
    }

    [Fact]
    public void The_changes_taken_pass_after_pass_and_restored_in_order_make_a_window_that_knows_every_target_and_when_it_was_last_seen()
    {
        const int Capacity = 10;
        var window = new DuplicateWindow(TimeSpan.FromHours(1), Capacity);
        var runs = new List<TargetSightings>();
        void Pass()
        {
            var changes = new TargetSightings();
            window.TakeChanges(changes);
            runs.Add(changes);
        }

        window.IsDuplicate("feed", "scanner", "kept", Start);
        for (var i = 0; i < 30; i++)
        {
            window.IsDuplicate("feed", "scanner", $"other-{i}", Start);
            if (i % 3 == 0)
            {
                // An earlier sighting changes nothing but, seen from the previous generation, carries the target along.
                window.IsDuplicate("feed", "scanner", "kept", Start.AddMinutes(-1));
            }

            if (i % 7 == 6)
            {
                Pass();
            }
        }

        window.IsDuplicate("feed", "scanner", "later", Start);
        window.IsDuplicate("feed", "scanner", "later", Start.AddMinutes(30));
        Pass();

        var restored = new DuplicateWindow(TimeSpan.FromHours(1), Capacity);
        foreach (var sighting in runs.SelectMany(run => run.All()))
        {
            restored.Restore(sighting);
        }

        Assert.True(restored.IsDuplicate("feed", "scanner", "kept", Start));
        Assert.False(restored.IsDuplicate("feed", "scanner", "other-0", Start), "forgotten before the restart as well");
        Assert.True(restored.IsDuplicate("feed", "scanner", "other-29", Start));
        Assert.True(restored.IsDuplicate("feed", "scanner", "later", Start.AddMinutes(89)), "seen last at minute 30");
    }

    [Fact]
    public void Changes_are_taken_once_each_target_once_and_a_restored_window_has_none_to_give()
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(1), 1_000);
        window.IsDuplicate("feed", "scanner", "a", Start);
        window.IsDuplicate("feed", "scanner", "a", Start.AddMinutes(5));
        window.IsDuplicate("feed", "scanner", "a", Start.AddMinutes(2)); // earlier: changes nothing
        window.IsDuplicate("feed", "scanner", "b", Start);

        var first = new TargetSightings();
        window.TakeChanges(first);
        var second = new TargetSightings();
        window.TakeChanges(second);

        Assert.Equal([Start.AddMinutes(5).UtcTicks, Start.UtcTicks], first.All().Select(s => s.At));
        Assert.Equal(0, second.Count);
        var restored = new DuplicateWindow(TimeSpan.FromHours(1), 1_000);
        foreach (var sighting in first.All())
        {
            restored.Restore(sighting);
        }

        var none = new TargetSightings();
        restored.TakeChanges(none);
        Assert.Equal(0, none.Count);
    }

    [Fact]
    public void A_copy_of_the_whole_window_restores_it()
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(1), 10);
        for (var i = 0; i < 8; i++)
        {
            window.IsDuplicate("feed", "scanner", $"target-{i}", Start.AddMinutes(i));
        }

        var copy = new TargetSightings();
        window.CopyTo(copy);
        var restored = new DuplicateWindow(TimeSpan.FromHours(1), 10);
        foreach (var sighting in copy.All())
        {
            restored.Restore(sighting);
        }

        var again = new TargetSightings();
        restored.CopyTo(again);
        Assert.Equal(8, copy.Count);
        Assert.Equal(copy.All(), again.All());
        // Seen at minute 1: no longer a duplicate at minute 61. Seen at minute 7: one at minute 66 is.
        Assert.False(restored.IsDuplicate("feed", "scanner", "target-1", Start.AddMinutes(61)));
        Assert.True(restored.IsDuplicate("feed", "scanner", "target-7", Start.AddMinutes(66)));
    }

    [Fact]
    public void Targets_older_than_the_window_are_let_go_as_time_moves_on()
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(1), 1_000);
        window.IsDuplicate("feed", "scanner", "early", Start);
        window.IsDuplicate("feed", "scanner", "middle", Start.AddMinutes(50));

        window.IsDuplicate("feed", "scanner", "late", Start.AddMinutes(110));

        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void A_capacity_under_two_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DuplicateWindow(TimeSpan.FromHours(1), 1));
    }
}
