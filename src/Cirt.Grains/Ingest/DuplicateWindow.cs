using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Cirt.Grains.Ingest;

/// <summary>
/// Recognises repeats: an event of the same feed, type and target as one seen less than the
/// window earlier (by observation time) is a duplicate. Memory holds one entry per distinct key
/// seen within the window, 16 bytes of it: the key is a 64-bit hash of feed, type and target
/// (two distinct keys sharing a hash, about one chance in 10^11 at ten million keys, would only mark
/// an event duplicate: it is stored and counted all the same). Older entries are evicted as time moves on.
/// </summary>
public sealed class DuplicateWindow(TimeSpan window)
{
    private readonly Dictionary<ulong, long> _lastSeen = [];
    private long _latest = long.MinValue;
    private long _lastEviction = long.MinValue;

    public TimeSpan Window { get; } = window;

    /// <summary>Records an event; true when it repeats one seen within the window.</summary>
    public bool IsDuplicate(string feed, string type, string target, DateTimeOffset observedAt)
    {
        var at = observedAt.UtcTicks;
        _latest = Math.Max(_latest, at);

        ref var previous = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastSeen, KeyOf(feed, type, target), out var exists);
        var duplicate = exists && Math.Abs(at - previous) < Window.Ticks;
        if (!exists || at > previous)
        {
            previous = at;
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
        foreach (var stale in _lastSeen.Where(p => p.Value < horizon).Select(p => p.Key).ToArray())
        {
            _lastSeen.Remove(stale);
        }

        _lastEviction = _latest;
    }
}
