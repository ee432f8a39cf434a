namespace Cirt.Server.Inbox;

/// <summary>
/// The item keys a stream has sent, so that an item goes again only when it changes: the most
/// recent <c>capacity</c> of them, the oldest forgotten first, so that a stream open for months
/// holds a bounded set. A forgotten item is sent again only if its incident changes again.
/// </summary>
public sealed class RecentKeys(int capacity)
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Remembers <paramref name="key"/>; false when it was already remembered.</summary>
    public bool Add(string key)
    {
        if (!_keys.Add(key))
        {
            return false;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _keys.Remove(_order.Dequeue());
        }

        return true;
    }
}
