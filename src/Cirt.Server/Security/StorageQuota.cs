using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// How much each key may store per window (Cirt:Security:StorageQuotaBytes per
/// Cirt:Security:StorageQuotaWindow), one <see cref="StorageLedger"/> per key, kept in this process.
/// Per process is enough for Cirt, which is one process (one silo, one SQLite file); were it ever
/// run as several silos, each would grant the quota once (a grain per key would make it
/// cluster-wide, at the price of a grain call on every write). A restart starts every key afresh.
/// Ledgers are small (60 counters) and exist only for keys that stored something, so they are kept.
/// </summary>
public sealed class StorageQuota(IOptions<SecurityOptions> options, CirtClock clock, IMeterFactory meters, ILogger<StorageQuota> logger)
{
    private readonly ConcurrentDictionary<string, StorageLedger> _ledgers = new(StringComparer.Ordinal);

    private readonly Counter<long> _refused = meters.Create(SecurityMetrics.MeterName)
        .CreateCounter<long>("cirt.security.storage_quota_refused", description: "Calls refused because their key's storage quota was used up");

    /// <summary>
    /// Charges <paramref name="bytes"/> to <paramref name="principal"/>'s key, or refuses the call
    /// (<paramref name="refusal"/> says why and when it frees).
    /// </summary>
    public bool TryCharge(Principal principal, long bytes, [NotNullWhen(true)] out StorageCharge? charge, [NotNullWhen(false)] out StorageRefusal? refusal)
    {
        var ledger = _ledgers.GetOrAdd(principal.KeyId, _ => new StorageLedger(options.Value.StorageQuotaBytes, options.Value.StorageQuotaWindow));
        if (ledger.TryCharge(bytes, clock.GetUtcNow(), out charge, out refusal, out var first))
        {
            return true;
        }

        _refused.Add(1);
        if (first)
        {
            // Once per key and exhaustion: a key that keeps calling at its limit does not flood the log.
            logger.LogWarning("Storage quota reached by key {KeyId} ({Actor}): {Used} of {Quota} bytes per {Window}; refusing its writes until {FreesAt}",
                principal.KeyId, principal.Actor, refusal.UsedBytes, refusal.QuotaBytes, refusal.Window, refusal.FreesAt);
        }

        return false;
    }

    /// <summary>Gives back what a call was charged when it stored nothing after all (refused, failed).</summary>
    public void Refund(Principal principal, StorageCharge charge)
    {
        if (_ledgers.TryGetValue(principal.KeyId, out var ledger))
        {
            ledger.Refund(charge);
        }
    }
}
