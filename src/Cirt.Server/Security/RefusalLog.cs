using System.Globalization;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// Refused calls (bad or missing keys, rate limits, too many streams) summed up in the log instead
/// of one line per call, so that a flood of bad keys cannot drown the security events that matter:
/// per source ("address:…" for callers without a valid key, "key:…" otherwise) one line per
/// interval (Cirt:Security:RefusalLogInterval, a minute by default) with the count of each reason,
/// the last key id tried and the last method. The security metrics still count every refusal.
/// At most <see cref="MaxSources"/> sources get a line of their own in an interval; calls from any
/// further source are summed in one more line, so memory and log stay bounded whatever the number
/// of addresses.
/// </summary>
public sealed class RefusalLog(IOptions<SecurityOptions> options, ILogger<RefusalLog> logger) : BackgroundService
{
    public const int MaxSources = 1_000;

    private readonly Lock _gate = new();
    private Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private long _beyondMaxSources;
    private DateTimeOffset _since = DateTimeOffset.UtcNow;

    /// <summary>Counts one refused call from <paramref name="source"/>.</summary>
    public void Record(string source, string reason, string keyId, string method)
    {
        lock (_gate)
        {
            if (!_tallies.TryGetValue(source, out var tally))
            {
                if (_tallies.Count >= MaxSources)
                {
                    _beyondMaxSources++;
                    return;
                }

                _tallies[source] = tally = new Tally();
            }

            tally.Add(reason, keyId, method);
        }

        logger.LogDebug("Refused ({Reason}) {Method} from {Source}, key {KeyId}", reason, method, source, keyId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefusalLogInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was counted so far is written below.
        }

        Flush();
    }

    /// <summary>Writes the summary of the calls refused since the last one.</summary>
    public void Flush()
    {
        Dictionary<string, Tally> tallies;
        long beyond;
        DateTimeOffset since;
        lock (_gate)
        {
            (tallies, _tallies) = (_tallies, new Dictionary<string, Tally>(StringComparer.Ordinal));
            (beyond, _beyondMaxSources) = (_beyondMaxSources, 0);
            (since, _since) = (_since, DateTimeOffset.UtcNow);
        }

        foreach (var (source, tally) in tallies)
        {
            logger.LogWarning("Refused {Count} calls from {Source} since {Since:u}: {Reasons}; last key id {KeyId}, last method {Method}",
                tally.Count, source, since, tally.Reasons(), tally.LastKeyId.Length > 0 ? tally.LastKeyId : "-", tally.LastMethod);
        }

        if (beyond > 0)
        {
            logger.LogWarning("Refused {Count} more calls since {Since:u} from sources beyond the first {MaxSources}", beyond, since, MaxSources);
        }
    }

    /// <summary>What one source was refused in the interval.</summary>
    private sealed class Tally
    {
        private readonly Dictionary<string, long> _byReason = new(StringComparer.Ordinal);

        public long Count { get; private set; }

        public string LastKeyId { get; private set; } = "";

        public string LastMethod { get; private set; } = "";

        public void Add(string reason, string keyId, string method)
        {
            Count++;
            _byReason[reason] = _byReason.GetValueOrDefault(reason) + 1;
            LastKeyId = keyId;
            LastMethod = method;
        }

        /// <summary>"unknown 480, malformed 20": most frequent first.</summary>
        public string Reasons() => string.Join(", ",
            _byReason.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")));
    }
}
