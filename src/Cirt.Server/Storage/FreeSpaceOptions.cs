namespace Cirt.Server.Storage;

/// <summary>
/// The configuration section "Cirt:FreeSpace": how the free space of the data folder's file system
/// is watched (<see cref="FreeSpaceWatcher"/>). Not under Cirt:Storage, which is the storage
/// profile's own value (Embedded or Memory).
/// </summary>
public sealed class FreeSpaceOptions
{
    public const string Section = "Cirt:FreeSpace";

    /// <summary>
    /// Below this many free mebibytes on the data folder's file system a warning is logged (once,
    /// and once more when space is back above it) and the health check reports Degraded. At 20,000
    /// events a second the ingest log grows by about 2 MiB a second: the default leaves minutes.
    /// 0 turns the warning off (the gauge still reports free space).
    /// </summary>
    public long WarningMegabytes { get; set; } = 1024;

    /// <summary>
    /// How often free space is measured, and, while storage refuses writes, how often a small
    /// probe write checks whether space is back; callers are told to retry after this long.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (WarningMegabytes < 0)
        {
            yield return $"{Section}:{nameof(WarningMegabytes)} must be 0 (no warning) or more (it is {WarningMegabytes}).";
        }

        if (CheckInterval < TimeSpan.FromMilliseconds(100) || CheckInterval > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:{nameof(CheckInterval)} must be from 00:00:00.1 to 00:10:00 (it is {CheckInterval}).";
        }
    }
}
