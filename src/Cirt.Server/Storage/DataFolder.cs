namespace Cirt.Server.Storage;

/// <summary>
/// The data folder and its files are this user's alone: the folder mode 0700, every database (and
/// its -wal and -shm, which SQLite creates with the main file's mode) 0600. Wider rights found on an
/// existing folder or file (an installation older than this rule) are tightened, not refused.
/// </summary>
public static class DataFolder
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="folder"/> (and its missing parents) mode 0700, or tightens it to 0700.</summary>
    public static void Ensure(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }

        if (File.GetUnixFileMode(folder) != FolderMode)
        {
            File.SetUnixFileMode(folder, FolderMode);
        }
    }

    /// <summary>Creates <paramref name="folder"/> mode 0700 if it is missing; an existing one is left as it is.</summary>
    public static void CreateMissing(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    /// <summary>
    /// Creates the database file <paramref name="path"/> empty with mode 0600 before SQLite opens it
    /// (SQLite would create it with the process's umask, typically 0644), and tightens an existing
    /// one and its -wal and -shm to 0600. A missing folder is created 0700; an existing one is left
    /// as it is (the data folder itself is made and tightened by <see cref="Ensure"/> at start).
    /// </summary>
    public static void EnsureDatabaseFile(string path)
    {
        CreateMissing(Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, UnixCreateMode = FileMode }))
        {
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != FileMode)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }
}
