namespace Cirt.Server.Idempotency;

/// <summary>
/// Lets one call at a time through for each request key: a duplicate sent while the first is still
/// running waits for it (or for its own deadline), then finds its answer in the ledger. Keys no call
/// holds or waits for are forgotten. One process's calls: the embedded profile's single silo.
/// </summary>
public sealed class RequestGate
{
    private readonly Dictionary<RequestKey, Holder> _held = [];
    private readonly Lock _lock = new();

    /// <summary>Waits until no other call holds <paramref name="key"/>, then holds it until the pass is disposed.</summary>
    public async Task<IDisposable> EnterAsync(RequestKey key, CancellationToken cancellationToken)
    {
        Holder holder;
        lock (_lock)
        {
            if (!_held.TryGetValue(key, out holder!))
            {
                holder = new Holder();
                _held[key] = holder;
            }

            holder.Users++;
        }

        try
        {
            await holder.Turn.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, holder, release: false);
            throw;
        }

        return new Pass(this, key, holder);
    }

    private void Leave(RequestKey key, Holder holder, bool release)
    {
        if (release)
        {
            holder.Turn.Release();
        }

        lock (_lock)
        {
            if (--holder.Users == 0)
            {
                _held.Remove(key);
            }
        }
    }

    private sealed class Holder
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Pass(RequestGate gate, RequestKey key, Holder holder) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Leave(key, holder, release: true);
            }
        }
    }
}
