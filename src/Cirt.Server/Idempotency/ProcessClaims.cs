namespace Cirt.Server.Idempotency;

/// <summary>
/// Claims on request keys held in this process: enough where one process owns the ledger (the
/// embedded and Memory profiles, one silo). Expiry runs on real time (<see cref="TimeProvider.System"/>),
/// like the calls holding them, whatever clock business time runs on.
/// </summary>
public sealed class ProcessClaims
{
    private readonly Dictionary<RequestKey, Held> _held = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time = TimeProvider.System;

    /// <summary>Takes <paramref name="key"/> for <paramref name="claim"/>'s holder unless another holder's claim is live; the live claim's digest when it is.</summary>
    public byte[]? TryTake(RequestKey key, RequestClaim claim)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_held.TryGetValue(key, out var held) && held.Holder != claim.Holder && held.ExpiresAt > now)
            {
                return held.Digest;
            }

            _held[key] = new Held(claim.Holder, claim.RequestDigest, now + claim.Lifetime);
            return null;
        }
    }

    public bool Renew(RequestKey key, Guid holder, TimeSpan lifetime)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(key, out var held) || held.Holder != holder)
            {
                return false;
            }

            _held[key] = held with { ExpiresAt = _time.GetUtcNow() + lifetime };
            return true;
        }
    }

    /// <summary>Removes <paramref name="holder"/>'s claim on <paramref name="key"/>, or any claim on it when <paramref name="holder"/> is null (the key is answered).</summary>
    public void Remove(RequestKey key, Guid? holder)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(key, out var held) && (holder is null || held.Holder == holder))
            {
                _held.Remove(key);
            }
        }
    }

    /// <summary>Forgets the claims that have expired; how many.</summary>
    public int RemoveExpired()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var expired = _held.Where(entry => entry.Value.ExpiresAt <= now).Select(entry => entry.Key).ToArray();
            foreach (var key in expired)
            {
                _held.Remove(key);
            }

            return expired.Length;
        }
    }

    private sealed record Held(Guid Holder, byte[] Digest, DateTimeOffset ExpiresAt);
}
