using Cirt.Grains.Common;

namespace Cirt.Server.Security;

/// <summary>The configuration section "Cirt:Security".</summary>
public sealed class SecurityOptions
{
    public const string Section = "Cirt:Security";

    /// <summary>
    /// A coordinator key to create at first start (a full "cirt_…" token, e.g. from a secret
    /// store). When unset and no key exists yet, one is generated and written to
    /// <see cref="BootstrapKeyFile"/>.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>Where a generated bootstrap key is written (mode 0600); default: bootstrap-coordinator.key in the data folder.</summary>
    public string? BootstrapKeyFile { get; set; }

    /// <summary>Requests each principal may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a principal may make in a burst above the sustained rate.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>Allow plain (unencrypted) HTTP/2 on non-loopback addresses. Never in production.</summary>
    public bool AllowInsecureRemote { get; set; }

    /// <summary>
    /// Streams one key may hold open at once: inbox streams, and reflection (health watches without
    /// a key count per remote address). One client needs one inbox stream; a few spare let it
    /// reconnect before the server has noticed the old stream is gone.
    /// </summary>
    public int StreamsPerKey { get; set; } = 8;

    /// <summary>Such streams open at once on the server, all keys together.</summary>
    public int StreamsTotal { get; set; } = 1_000;

    /// <summary>
    /// IngestService/Stream calls one key may hold open at once. A sensor gains throughput from a
    /// few parallel streams (the benchmark drives 4); more only multiplies what one key holds in
    /// flight (each stream keeps up to 64 batches on their way to disk).
    /// </summary>
    public int IngestStreamsPerKey { get; set; } = 16;

    /// <summary>IngestService/Stream calls open at once on the server, all keys together.</summary>
    public int IngestStreamsTotal { get; set; } = 256;

    /// <summary>How often refused calls are summed up in the log: one line per remote address (or key) and interval.</summary>
    public TimeSpan RefusalLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What one key may store within <see cref="StorageQuotaWindow"/>, in bytes: the size of every
    /// call that changes something (reports, notes, observables, advisories...; not automated
    /// events). At least the largest message the server accepts (4 MiB), so that any call fits an
    /// unused quota. Over it, calls are refused with RESOURCE_EXHAUSTED until enough frees.
    /// </summary>
    public long StorageQuotaBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The sliding window <see cref="StorageQuotaBytes"/> applies to: 1 minute to 31 days.</summary>
    public TimeSpan StorageQuotaWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(PermitsPerSecond), PermitsPerSecond), (nameof(Burst), Burst),
                     (nameof(StreamsPerKey), StreamsPerKey), (nameof(StreamsTotal), StreamsTotal),
                     (nameof(IngestStreamsPerKey), IngestStreamsPerKey), (nameof(IngestStreamsTotal), IngestStreamsTotal),
                 })
        {
            if (value < 1)
            {
                yield return $"{Section}:{name} must be at least 1 (it is {value}).";
            }
        }

        if (RefusalLogInterval <= TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(RefusalLogInterval)} must be longer than zero (it is {RefusalLogInterval}).";
        }

        if (StorageQuotaBytes < Limits.MaxMessageBytes)
        {
            yield return $"{Section}:{nameof(StorageQuotaBytes)} must be at least {Limits.MaxMessageBytes}, the largest message the server accepts, so that any call fits an unused quota (it is {StorageQuotaBytes}).";
        }

        if (StorageQuotaWindow < TimeSpan.FromMinutes(1) || StorageQuotaWindow > TimeSpan.FromDays(31))
        {
            yield return $"{Section}:{nameof(StorageQuotaWindow)} must be from 00:01:00 to 31.00:00:00 (it is {StorageQuotaWindow}).";
        }
    }
}
