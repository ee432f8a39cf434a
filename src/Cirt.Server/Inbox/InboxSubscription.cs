using System.Threading.Channels;
using Cirt.Grains.Security;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Inbox;

/// <summary>
/// One open inbox stream's mailbox: the items pushed to it wait here until the stream writes them.
/// The mailbox is bounded: when a client does not read and it fills up, further items are dropped
/// and the stream is told it fell behind, so it sends the inbox as it stands instead (one read),
/// and a stalled client never grows the server's memory.
/// </summary>
public sealed class InboxSubscription : IDisposable
{
    /// <summary>Items a mailbox holds before it drops.</summary>
    public const int Capacity = 1_024;

    // A null item only wakes the reader up after a drop.
    private readonly Channel<Proto.InboxItem?> _mailbox = Channel.CreateBounded<Proto.InboxItem?>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Action<InboxSubscription> _unsubscribe;
    private int _fellBehind;

    internal InboxSubscription(Principal principal, Action<InboxSubscription> unsubscribe)
    {
        Principal = principal;
        _unsubscribe = unsubscribe;
    }

    public Principal Principal { get; }

    /// <summary>Waits until something was pushed (or dropped); throws when <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) => await _mailbox.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The items pushed so far and not yet taken.</summary>
    public IEnumerable<Proto.InboxItem> TakePending()
    {
        while (_mailbox.Reader.TryRead(out var item))
        {
            if (item is not null)
            {
                yield return item;
            }
        }
    }

    /// <summary>Whether items were dropped since the last call: the stream must then read the whole inbox.</summary>
    public bool TakeFellBehind() => Interlocked.Exchange(ref _fellBehind, 0) == 1;

    /// <summary>Leaves <paramref name="item"/> for the stream; never waits.</summary>
    internal void Push(Proto.InboxItem item)
    {
        if (!_mailbox.Writer.TryWrite(item))
        {
            Volatile.Write(ref _fellBehind, 1);
            _mailbox.Writer.TryWrite(null);
        }
    }

    public void Dispose() => _unsubscribe(this);
}
