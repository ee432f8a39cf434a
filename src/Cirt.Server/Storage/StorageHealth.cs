using System.Diagnostics.Metrics;

namespace Cirt.Server.Storage;

/// <summary>
/// Whether storage takes writes right now. It refuses them from the first write that fails because
/// the disk is full (<see cref="StorageFull"/>), and takes them again once <see cref="FreeSpaceWatcher"/>'s
/// probe write (a mebibyte, flushed) succeeds: a small write that happens to fit in space a database
/// file already holds says nothing about free space, and would flip health back and forth. Callers
/// meanwhile get RESOURCE_EXHAUSTED (<see cref="Api.StorageFullRefusal"/>), health says NOT_SERVING
/// (<see cref="StorageHealthCheck"/>), and the log gets one line when it starts, one a minute while
/// it lasts (with the count of refused writes), and one when it ends, instead of one per failed
/// write. A disk that fills again within a minute of recovering continues the same story: no new
/// first line, the next summary counts it.
/// </summary>
public sealed class StorageHealth
{
    /// <summary>The meter of storage: refused writes, whether writes are taken, free space (<see cref="FreeSpaceWatcher"/>).</summary>
    public const string MeterName = "Cirt.Storage";

    /// <summary>How often, at most, the log says again that storage is still full.</summary>
    public static readonly TimeSpan SummaryPeriod = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger<StorageHealth> _logger;
    private readonly Counter<long> _refused;
    private long _refusingSince;
    private long _episodeSince;
    private long _lastLine;
    private long? _recoveredAt;
    private int _refusedSinceLine;
    private int _refusedInEpisode;
    private bool _quiet;
    private volatile bool _refusing;

    public StorageHealth(IMeterFactory meters, ILogger<StorageHealth> logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _refused = meter.CreateCounter<long>("cirt.storage.writes_refused", unit: "{write}",
            description: "Writes the disk refused because it is full (nothing of them was stored)");
        meter.CreateObservableGauge("cirt.storage.writable", () => _refusing ? 0 : 1,
            description: "1 while storage takes writes, 0 while it refuses them because the disk is full");
    }

    /// <summary>True while the disk is full: a write failed for want of space, and no probe has succeeded since.</summary>
    public bool RefusingWrites => _refusing;

    /// <summary>Since when storage refuses writes (null while it takes them).</summary>
    public DateTimeOffset? RefusingSince
    {
        get
        {
            lock (_gate)
            {
                return _refusing ? new DateTimeOffset(_refusingSince, TimeSpan.Zero) : null;
            }
        }
    }

    /// <summary>How long a caller is told to wait before trying again; set from the free-space check interval.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Listens to the failed writes of <paramref name="database"/>.</summary>
    public void Watch(SqliteDatabase database) =>
        database.WriteRefused += (source, failure) => Refused(failure, Path.GetFileName(source.Path));

    /// <summary>
    /// Notes a failed write of <paramref name="store"/>. Only a full disk counts; returns whether it
    /// was one (then it is logged here, and the caller need not log it).
    /// </summary>
    public bool Refused(Exception failure, string store)
    {
        if (!StorageFull.Is(failure))
        {
            return false;
        }

        _refused.Add(1);
        var now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            _refusedInEpisode++;
            _refusedSinceLine++;
            if (!_refusing)
            {
                _refusing = true;
                _refusingSince = now;
                if (_recoveredAt is not { } recovered || now - recovered >= SummaryPeriod.Ticks)
                {
                    _quiet = false;
                    _episodeSince = now;
                    _lastLine = now;
                    _refusedSinceLine = 0;
                    _refusedInEpisode = 1;
                    _logger.LogError(
                        "Storage is full: a write to {Store} failed ({Reason}). Until space is freed in the data folder, writes are refused with RESOURCE_EXHAUSTED (nothing of them is stored; callers are told to retry) and health says NOT_SERVING",
                        store, failure.GetBaseException().Message);
                    return true;
                }

                // Full again soon after it recovered: the same story, told by the next summary.
                _quiet = true;
            }

            if (now - _lastLine >= SummaryPeriod.Ticks)
            {
                _logger.LogError(
                    "Storage still full: {Refused} writes refused in the last {Seconds:0} s ({Total} since the disk filled {Since:0} s ago)",
                    _refusedSinceLine, TimeSpan.FromTicks(now - _lastLine).TotalSeconds, _refusedInEpisode, TimeSpan.FromTicks(now - _episodeSince).TotalSeconds);
                _lastLine = now;
                _refusedSinceLine = 0;
                _quiet = false;
            }
        }

        return true;
    }

    /// <summary>Notes that a probe write of free space succeeded: storage takes writes again.</summary>
    public void Wrote()
    {
        if (!_refusing)
        {
            return;
        }

        lock (_gate)
        {
            if (!_refusing)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcTicks;
            _recoveredAt = now;
            if (!_quiet)
            {
                _logger.LogWarning(
                    "Storage writable again after {Seconds:0.0} s: {Refused} writes were refused meanwhile",
                    TimeSpan.FromTicks(now - _episodeSince).TotalSeconds, _refusedInEpisode);
            }

            // After the line: whoever sees health SERVING again finds it in the log.
            _refusing = false;
        }
    }
}
