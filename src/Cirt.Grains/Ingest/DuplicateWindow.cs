using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Cirt.Grains.Ingest;

/// <summary>
/// Recognises repeats: an event of the same feed, type and target as one seen less than the
/// window earlier (by observation time) is a duplicate.
/// <para>
/// Memory is bounded whatever the feeds send (a scan of random IPv6 addresses brings a new target
/// with every event): targets are remembered in two generations of at most
/// <see cref="Capacity"/> / 2 each. New sightings go into the current generation; when it is full
/// it becomes the previous one and the one before is forgotten. A target is therefore remembered
/// until at least Capacity / 2 other distinct targets have been seen after it; forgetting one only
/// means its next event counts as new (it is stored and counted all the same). Entries older than
/// the window are dropped as time moves on. Each generation is sized once: about 28 bytes per
/// target of capacity.
/// </para>
/// <para>
/// A key is a 64-bit hash of feed, type and target (two distinct keys sharing a hash, about one
/// chance in 10^11 at ten million keys, would only mark an event duplicate).
/// </para>
/// <para>
/// To survive a restart, the caller keeps what changed (<see cref="TargetSighting"/>s handed out by
/// <see cref="IsDuplicate(string, string, string, DateTimeOffset, TargetSightings)"/>, or the
/// whole window, <see cref="CopyTo"/>) and, at the next start, gives it back in the same order
/// (<see cref="Restore"/>): every target is remembered again, with when it was last seen, in the
/// generation it was in (after a whole window was copied, in about the same one).
/// </para>
/// </summary>
public sealed class DuplicateWindow
{
    private readonly int _generationSize;
    private Dictionary<ulong, long> _current;
    private Dictionary<ulong, long> _previous = [];
    private long _latest = long.MinValue;
    // Zero, not long.MinValue: _latest - _lastEviction must not overflow.
    private long _lastEviction;

    public DuplicateWindow(TimeSpan window, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Window = window;
        Capacity = capacity;
        _generationSize = capacity / 2;
        // Sized once, up front: memory is what the bound says from the start, and a table grown by
        // doubling would leave its outgrown arrays behind as large-object garbage.
        _current = new Dictionary<ulong, long>(_generationSize);
    }

    public TimeSpan Window { get; }

    /// <summary>Distinct targets remembered at most.</summary>
    public int Capacity { get; }

    /// <summary>Targets remembered now (a target seen in both generations counts twice).</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>Records an event; true when it repeats one seen within the window.</summary>
    public bool IsDuplicate(string feed, string type, string target, DateTimeOffset observedAt) =>
        Observe(KeyOf(feed, type, target), observedAt.UtcTicks, null);

    /// <summary>
    /// Records an event; true when it repeats one seen within the window. When the window's entry
    /// for the target changes (a new target, or a later sighting), adds it to <paramref name="changes"/>.
    /// </summary>
    public bool IsDuplicate(string feed, string type, string target, DateTimeOffset observedAt, TargetSightings changes) =>
        Observe(KeyOf(feed, type, target), observedAt.UtcTicks, changes);

    /// <summary>Remembers a target as seen then, as a restart restores the window from what was kept of it.</summary>
    public void Restore(TargetSighting sighting) => Observe(sighting.Key, sighting.At, null);

    /// <summary>
    /// Adds every target remembered to <paramref name="into"/>, the previous generation first:
    /// restored in that order, the oldest are again the first to be forgotten.
    /// </summary>
    public void CopyTo(TargetSightings into)
    {
        foreach (var (key, at) in _previous)
        {
            if (!_current.ContainsKey(key))
            {
                into.Add(new TargetSighting(key, at));
            }
        }

        foreach (var (key, at) in _current)
        {
            into.Add(new TargetSighting(key, at));
        }
    }

    private bool Observe(ulong key, long at, TargetSightings? changes)
    {
        _latest = Math.Max(_latest, at);
        ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_current, key, out var inCurrent);
        var exists = inCurrent;
        if (!inCurrent && _previous.TryGetValue(key, out var earlier))
        {
            // Seen in the previous generation: carried into the current one.
            seen = earlier;
            exists = true;
        }

        var duplicate = exists && Math.Abs(at - seen) < Window.Ticks;
        var later = !exists || at > seen;
        if (later)
        {
            seen = at;
        }

        if (later || !inCurrent)
        {
            // A change, or a carry into the current generation: restoring the changes in order
            // puts every target back in the generation it was in.
            changes?.Add(new TargetSighting(key, seen));
        }

        if (_current.Count >= _generationSize)
        {
            _previous = _current;
            _current = new Dictionary<ulong, long>(_generationSize);
        }

        if (_latest - _lastEviction > Window.Ticks / 4)
        {
            Evict();
        }

        return duplicate;
    }

    private static ulong KeyOf(string feed, string type, string target)
    {
        // The three texts with a separator no text contains, hashed in one go.
        var length = feed.Length + type.Length + target.Length + 2;
        var rented = length > 512 ? new char[length] : null;
        var text = rented is null ? stackalloc char[length] : rented;
        feed.CopyTo(text);
        text[feed.Length] = '\0';
        type.CopyTo(text[(feed.Length + 1)..]);
        text[feed.Length + 1 + type.Length] = '\0';
        target.CopyTo(text[(feed.Length + type.Length + 2)..]);
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));
    }

    private void Evict()
    {
        var horizon = _latest - Window.Ticks;
        foreach (var generation in new[] { _current, _previous })
        {
            foreach (var stale in generation.Where(p => p.Value < horizon).Select(p => p.Key).ToArray())
            {
                generation.Remove(stale);
            }
        }

        _lastEviction = _latest;
    }
}
