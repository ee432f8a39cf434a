namespace Cirt.Server.Tests.Storage;

/// <summary>
/// A small file system of its own that a test may fill up: its folder comes from the environment
/// variable <see cref="Variable"/>. tests/run.sh makes one when run as root (a 60 MiB tmpfs); a
/// test that needs it fails, never skips, when it is missing, and says how to get one.
/// </summary>
public static class SmallDisk
{
    public const string Variable = "CIRT_SMALL_DISK";

    /// <summary>Larger than this, it is not a disk of its own made for the test: filling it could hurt the machine.</summary>
    private const long MaxBytes = 512L * 1024 * 1024;

    private const string HowTo =
        "Run tests/run.sh as root (sudo tests/run.sh), which mounts a 60 MiB tmpfs and sets " + Variable + ", or make one yourself: " +
        "sudo mkdir -p /mnt/cirt-small && sudo mount -t tmpfs -o size=60m,mode=1777 tmpfs /mnt/cirt-small && export " + Variable + "=/mnt/cirt-small";

    /// <summary>The folder of the small file system; fails the test when it is missing or too large.</summary>
    public static string Folder()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        Assert.False(string.IsNullOrEmpty(folder), $"This test fills a small file system and {Variable} names none. {HowTo}");
        Assert.True(Directory.Exists(folder), $"{Variable} names {folder}, which is not a folder. {HowTo}");
        var drive = new DriveInfo(folder);
        Assert.True(drive.TotalSize <= MaxBytes,
            $"{Variable} names {folder}, on a file system of {drive.TotalSize / (1024 * 1024)} MiB (mounted at {drive.RootDirectory.FullName}); " +
            $"this test fills it, so it must be a small one of its own (at most {MaxBytes / (1024 * 1024)} MiB). {HowTo}");
        return folder;
    }

    /// <summary>
    /// Fills the file system of <paramref name="folder"/> with a ballast file until it refuses to
    /// take a byte more, and returns the file (delete it to give the space back).
    /// </summary>
    public static string Fill(string folder)
    {
        var ballast = Path.Combine(folder, "ballast-" + Guid.NewGuid().ToString("N"));
        var chunk = new byte[1 << 20];
        // Unbuffered: every write reaches the file system, and a refused one is not retried on dispose.
        using var file = new FileStream(ballast, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (var size = chunk.Length; size >= 4096; size /= 2)
        {
            try
            {
                while (true)
                {
                    file.Write(chunk, 0, size);
                }
            }
            catch (IOException)
            {
                // this size no longer fits: try half of it
            }
        }

        return ballast;
    }
}
