namespace Cirt.Grains.Ingest.Feeds;

/// <summary>
/// How much of each feed's per-minute quota is used, in fixed windows of one UTC minute, over all
/// keys publishing the feed. Thread-safe: batches of several streams take from it at once.
/// </summary>
public sealed class FeedQuotas
{
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes one event from the feed's quota in the minute of <paramref name="now"/>: false when
    /// the minute's quota is used up (a feed without a quota always has room).
    /// </summary>
    public bool TryTake(FeedPermit permit, DateTimeOffset now)
    {
        if (permit.QuotaPerMinute == 0)
        {
            return true;
        }

        Window window;
        lock (_windows)
        {
            if (!_windows.TryGetValue(permit.Name, out window!))
            {
                _windows[permit.Name] = window = new Window();
            }
        }

        var minute = now.ToUnixTimeSeconds() / 60;
        lock (window)
        {
            if (window.Minute != minute)
            {
                window.Minute = minute;
                window.Used = 0;
            }

            if (window.Used >= permit.QuotaPerMinute)
            {
                return false;
            }

            window.Used++;
            return true;
        }
    }

    private sealed class Window
    {
        public long Minute { get; set; } = -1;

        public long Used { get; set; }
    }
}
