namespace Cirt.Grains.Ingest;

/// <summary>
/// Recognises repeats: an event of the same feed, type and target as one seen less than the
/// window earlier (by observation time) is a duplicate. Memory holds one entry per distinct key
/// seen within the window; older entries are evicted as time moves on.
/// </summary>
public sealed class DuplicateWindow(TimeSpan window)
{
    private readonly Dictionary<(string Feed, string Type, string Target), DateTimeOffset> _lastSeen = [];
    private DateTimeOffset _latest = DateTimeOffset.MinValue;
    private DateTimeOffset _lastEviction = DateTimeOffset.MinValue;

    public TimeSpan Window { get; } = window;

    /// <summary>Records an event; true when it repeats one seen within the window.</summary>
    public bool IsDuplicate(string feed, string type, string target, DateTimeOffset observedAt)
    {
        if (observedAt > _latest)
        {
            _latest = observedAt;
        }

        var key = (feed, type, target);
        var duplicate = _lastSeen.TryGetValue(key, out var previous) && (observedAt - previous).Duration() < Window;
        if (!duplicate || observedAt > previous)
        {
            _lastSeen[key] = observedAt;
        }

        if (_latest - _lastEviction > Window / 4)
        {
            Evict();
        }

        return duplicate;
    }

    private void Evict()
    {
        var horizon = _latest - Window;
        foreach (var stale in _lastSeen.Where(p => p.Value < horizon).Select(p => p.Key).ToArray())
        {
            _lastSeen.Remove(stale);
        }

        _lastEviction = _latest;
    }
}
