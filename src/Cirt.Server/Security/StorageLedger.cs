using System.Diagnostics.CodeAnalysis;

namespace Cirt.Server.Security;

/// <summary>
/// What one key stored within a sliding window, against its quota. The window is cut into
/// <see cref="Buckets"/> equal buckets: a charge counts from the bucket it falls in until that
/// bucket is a whole window old, so the key never stores more than the quota in any window (give
/// or take one bucket, by which the window is at most shorter). Thread-safe.
/// </summary>
public sealed class StorageLedger
{
    /// <summary>How many buckets a window is cut into.</summary>
    public const int Buckets = 60;

    private readonly long _quotaBytes;
    private readonly TimeSpan _window;
    private readonly long _bucketTicks;
    private readonly long[] _bytes = new long[Buckets];
    private readonly long[] _bucketOf = new long[Buckets];
    private readonly Lock _lock = new();
    private bool _refusing;

    public StorageLedger(long quotaBytes, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quotaBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMinutes(1));
        _quotaBytes = quotaBytes;
        _window = window;
        _bucketTicks = window.Ticks / Buckets;
        Array.Fill(_bucketOf, long.MinValue);
    }

    /// <summary>
    /// Charges <paramref name="bytes"/> when they fit within the quota, or refuses, saying when
    /// enough frees; <paramref name="firstRefusal"/> tells whether the key was within its quota until
    /// now (so that a key hammering at its limit is logged once, not per call).
    /// </summary>
    public bool TryCharge(long bytes, DateTimeOffset now, [NotNullWhen(true)] out StorageCharge? charge, [NotNullWhen(false)] out StorageRefusal? refusal, out bool firstRefusal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var current = BucketOf(now);
        lock (_lock)
        {
            var used = UsedIn(current);
            if (used + bytes <= _quotaBytes)
            {
                var slot = Slot(current);
                if (_bucketOf[slot] != current)
                {
                    (_bucketOf[slot], _bytes[slot]) = (current, 0);
                }

                _bytes[slot] += bytes;
                _refusing = false;
                (charge, refusal, firstRefusal) = (new StorageCharge(current, bytes), null, false);
                return true;
            }

            firstRefusal = !_refusing;
            _refusing = true;
            (charge, refusal) = (null, new StorageRefusal(_quotaBytes, _window, used, bytes, now, FreesAt(current, used + bytes - _quotaBytes)));
            return false;
        }
    }

    /// <summary>Gives back a charge for a call that stored nothing (while its bucket is still in the window).</summary>
    public void Refund(StorageCharge charge)
    {
        lock (_lock)
        {
            var slot = Slot(charge.Bucket);
            if (_bucketOf[slot] == charge.Bucket)
            {
                _bytes[slot] = Math.Max(0, _bytes[slot] - charge.Bytes);
            }
        }
    }

    /// <summary>The bytes stored within the window that ends at <paramref name="now"/>.</summary>
    public long UsedAt(DateTimeOffset now)
    {
        lock (_lock)
        {
            return UsedIn(BucketOf(now));
        }
    }

    private long BucketOf(DateTimeOffset now) => now.UtcTicks / _bucketTicks;

    private static int Slot(long bucket) => (int)(bucket % Buckets);

    private bool InWindow(int slot, long current) => _bucketOf[slot] > current - Buckets && _bucketOf[slot] <= current;

    private long UsedIn(long current)
    {
        long used = 0;
        for (var slot = 0; slot < Buckets; slot++)
        {
            if (InWindow(slot, current))
            {
                used += _bytes[slot];
            }
        }

        return used;
    }

    /// <summary>When the oldest buckets have left the window and taken at least <paramref name="needed"/> bytes with them.</summary>
    private DateTimeOffset FreesAt(long current, long needed)
    {
        long freed = 0;
        for (var bucket = current - Buckets + 1; bucket <= current; bucket++)
        {
            var slot = Slot(bucket);
            if (_bucketOf[slot] == bucket)
            {
                freed += _bytes[slot];
            }

            if (freed >= needed)
            {
                return new DateTimeOffset((bucket + Buckets) * _bucketTicks, TimeSpan.Zero);
            }
        }

        // Only a call larger than the quota itself gets here (the options forbid such a quota): it never fits.
        return new DateTimeOffset((current + Buckets) * _bucketTicks, TimeSpan.Zero);
    }
}
