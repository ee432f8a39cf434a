using System.Diagnostics.Metrics;
using Cirt.Server.Federation;
using Cirt.Server.Ingest;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Storage;

/// <summary>
/// Watches the file system of the data folder: every <see cref="FreeSpaceOptions.CheckInterval"/>
/// it measures the free space (gauges cirt.storage.free_bytes and cirt.storage.free_space_low),
/// warns once when it falls below <see cref="FreeSpaceOptions.WarningMegabytes"/> and says once
/// when it is back above. While storage refuses writes (<see cref="StorageHealth"/>) it also tries
/// a small probe write, so that health turns back to SERVING as soon as space is back even when no
/// caller writes. It connects every database of the server to <see cref="StorageHealth"/> at start.
/// </summary>
public sealed class FreeSpaceWatcher : BackgroundService
{
    /// <summary>What the probe writes (and deletes at once): a write this size must fit for storage to count as writable again.</summary>
    public const int ProbeBytes = 1 << 20;

    private const string ProbeFile = ".free-space-probe";

    private readonly StorageHealth _health;
    private readonly FreeSpaceOptions _options;
    private readonly CirtOptions _cirt;
    private readonly IEnumerable<SqliteDatabase> _databases;
    private readonly ILogger<FreeSpaceWatcher> _logger;
    private long _freeBytes = -1;
    private volatile bool _low;

    public FreeSpaceWatcher(
        StorageHealth health,
        IOptions<FreeSpaceOptions> options,
        CirtOptions cirt,
        IEnumerable<SqliteDatabase> embedded,
        IEnumerable<IngestDatabase> ingest,
        IFederationStore federation,
        IMeterFactory meters,
        ILogger<FreeSpaceWatcher> logger)
    {
        _health = health;
        _options = options.Value;
        _cirt = cirt;
        // In the cluster profile the federation store and the ingest log are PostgreSQL's, not files of the data folder.
        _databases = [.. embedded, .. ingest.SelectMany(i => new[] { i.Log, i.State }), .. federation is FederationStore file ? [file.Database] : Array.Empty<SqliteDatabase>()];
        _logger = logger;
        health.RetryAfter = _options.CheckInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _options.CheckInterval;
        var meter = meters.Create(StorageHealth.MeterName);
        meter.CreateObservableGauge("cirt.storage.free_bytes", () => Volatile.Read(ref _freeBytes), unit: "By",
            description: "Free space on the data folder's file system, for this process's user (-1 before the first measurement or without a data folder)");
        meter.CreateObservableGauge("cirt.storage.free_space_low", () => _low ? 1 : 0,
            description: "1 while free space on the data folder's file system is below Cirt:FreeSpace:WarningMegabytes");
    }

    /// <summary>Free bytes at the last measurement; -1 before it, or in the Memory profile.</summary>
    public long FreeBytes => Volatile.Read(ref _freeBytes);

    /// <summary>True while free space is below the warning threshold.</summary>
    public bool Low => _low;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var database in _databases.Where(d => !d.IsInMemory))
        {
            _health.Watch(database);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_cirt.Storage != StorageProfile.Embedded)
        {
            return; // nothing is on disk
        }

        var folder = Path.GetFullPath(_cirt.DataDirectory);
        using var timer = new PeriodicTimer(_options.CheckInterval);
        try
        {
            do
            {
                Measure(folder);
                if (_health.RefusingWrites)
                {
                    Probe(folder);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Measure(string folder)
    {
        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _logger.LogDebug("Free space of {Folder} could not be measured: {Reason}", folder, e.Message);
            return;
        }

        Volatile.Write(ref _freeBytes, free);
        var threshold = _options.WarningMegabytes * 1024 * 1024;
        var low = threshold > 0 && free < threshold;
        if (low == _low)
        {
            return;
        }

        _low = low;
        if (low)
        {
            _logger.LogWarning(
                "Free space low: {FreeMegabytes} MiB left on the file system of {Folder}, below the {WarningMegabytes} MiB of Cirt:FreeSpace:WarningMegabytes. Free space there before the disk fills: once it is full, writes are refused",
                free / (1024 * 1024), folder, _options.WarningMegabytes);
        }
        else
        {
            _logger.LogInformation(
                "Free space back above {WarningMegabytes} MiB on the file system of {Folder}: {FreeMegabytes} MiB",
                _options.WarningMegabytes, folder, free / (1024 * 1024));
        }
    }

    /// <summary>Writes (with the data flushed to the disk) and deletes a small file: if that fits, storage takes writes again.</summary>
    private void Probe(string folder)
    {
        var path = Path.Combine(folder, ProbeFile);
        try
        {
            using (var probe = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.WriteThrough))
            {
                probe.Write(new byte[ProbeBytes]);
                probe.Flush(flushToDisk: true);
            }

            _health.Wrote();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug("Probe write in {Folder} failed: {Reason}", folder, e.Message);
        }
        finally
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogDebug("Probe file {Path} could not be deleted: {Reason}", path, e.Message);
            }
        }
    }
}
