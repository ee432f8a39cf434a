using System.Threading.Channels;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Incidents;

/// <summary>
/// One open WatchIncidents stream's mailbox: the changed incidents the feed pushes that may concern
/// it (<see cref="WatchedIncidents.Concerns"/>) wait here until the stream sends them. Bounded like
/// an inbox's: when a client does not read and it fills up, further changes are dropped and the
/// stream is told it fell behind, so it sends a fresh snapshot instead, and a stalled client never
/// grows the server's memory.
/// </summary>
public sealed class IncidentWatch : IDisposable
{
    /// <summary>Changes a mailbox holds before it drops.</summary>
    public const int Capacity = 4_096;

    /// <summary>Incidents a stream remembers having sent (see <see cref="WatchedIncidents"/>).</summary>
    public const int Held = 20_000;

    // A null only wakes the reader up after a drop.
    private readonly Channel<IncidentSummary?> _mailbox = Channel.CreateBounded<IncidentSummary?>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Action<IncidentWatch> _unsubscribe;
    private int _fellBehind;

    internal IncidentWatch(IncidentQuery filter, Action<IncidentWatch> unsubscribe)
    {
        Incidents = new WatchedIncidents(filter, Held);
        _unsubscribe = unsubscribe;
    }

    /// <summary>What the stream holds, and what a change means to it.</summary>
    public WatchedIncidents Incidents { get; }

    /// <summary>Waits until something was pushed (or dropped); throws when <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) => await _mailbox.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The changes pushed so far and not yet taken, oldest first.</summary>
    public IEnumerable<IncidentSummary> TakePending()
    {
        while (_mailbox.Reader.TryRead(out var incident))
        {
            if (incident is not null)
            {
                yield return incident;
            }
        }
    }

    /// <summary>Whether changes were dropped since the last call: the stream must then send a fresh snapshot.</summary>
    public bool TakeFellBehind() => Interlocked.Exchange(ref _fellBehind, 0) == 1;

    /// <summary>Leaves <paramref name="incident"/> for the stream if it may concern it; never waits.</summary>
    internal void Push(IncidentSummary incident)
    {
        if (!Incidents.Concerns(incident))
        {
            return;
        }

        if (!_mailbox.Writer.TryWrite(incident))
        {
            Volatile.Write(ref _fellBehind, 1);
            _mailbox.Writer.TryWrite(null);
        }
    }

    public void Dispose() => _unsubscribe(this);
}
