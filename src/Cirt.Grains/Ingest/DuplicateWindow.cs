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
/// To survive a restart, the caller keeps what changed (<see cref="TakeChanges"/>: each target new
/// or seen later since the last call, once, with when it was last seen; or the whole window,
/// <see cref="CopyTo"/>) and, at the next start, gives it back in the same order
/// (<see cref="Restore"/>): every target is remembered again, with when it was last seen, in about
/// the generation it was in. Marking what changed costs no memory: a bit of the entry itself.
/// </para>
/// </summary>
public sealed class DuplicateWindow
{
    // A bit no tick count reaches (DateTimeOffset.MaxValue is below 2^62 ticks): set on an entry
    // changed since the last TakeChanges.
    private const long Changed = 1L << 62;

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
        Observe(KeyOf(feed, type, target), observedAt.UtcTicks, Changed);

    /// <summary>Remembers a target as seen then, as a restart restores the window from what was kept of it.</summary>
    public void Restore(TargetSighting sighting) => Observe(sighting.Key, sighting.At, 0);

    /// <summary>
    /// Adds to <paramref name="into"/> every target new, seen later or carried into the current
    /// generation since the last call (each once, the previous generation first), and starts over.
    /// </summary>
    public void TakeChanges(TargetSightings into)
    {
        foreach (var generation in new[] { _previous, _current })
        {
            foreach (var (key, at) in generation)
            {
                if ((at & Changed) != 0)
                {
                    into.Add(new TargetSighting(key, at & ~Changed));
                    CollectionsMarshal.GetValueRefOrNullRef(generation, key) = at & ~Changed;
                }
            }
        }
    }

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
                into.Add(new TargetSighting(key, at & ~Changed));
            }
        }

        foreach (var (key, at) in _current)
        {
            into.Add(new TargetSighting(key, at & ~Changed));
        }
    }

    private bool Observe(ulong key, long at, long mark)
    {
        _latest = Math.Max(_latest, at);
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_current, key, out var inCurrent);
        var exists = inCurrent;
        if (!inCurrent && _previous.TryGetValue(key, out var earlier))
        {
            // Seen in the previous generation: carried into the current one (a change: restoring
            // the changes puts the target back in the generation it is in now).
            entry = (earlier & ~Changed) | mark;
            exists = true;
        }

        var seen = entry & ~Changed;
        var duplicate = exists && Math.Abs(at - seen) < Window.Ticks;
        if (!exists || at > seen)
        {
            entry = at | mark;
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
            foreach (var stale in generation.Where(p => (p.Value & ~Changed) < horizon).Select(p => p.Key).ToArray())
            {
                generation.Remove(stale);
            }
        }

        _lastEviction = _latest;
    }
}
