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

    /// <summary>
    /// Gives back <paramref name="events"/> taken in the minute of <paramref name="now"/> for events
    /// that were not stored after all (the batch was refused as a whole): their resend is not counted twice.
    /// </summary>
    public void Return(FeedPermit permit, int events, DateTimeOffset now)
    {
        Window? window;
        lock (_windows)
        {
            window = _windows.GetValueOrDefault(permit.Name);
        }

        if (window is null)
        {
            return;
        }

        lock (window)
        {
            if (window.Minute == now.ToUnixTimeSeconds() / 60)
            {
                window.Used = Math.Max(0, window.Used - events);
            }
        }
    }

    private sealed class Window
    {
        public long Minute { get; set; } = -1;

        public long Used { get; set; }
    }
}
