namespace Cirt.Server.Backup;

/// <summary>Why a backup was not taken.</summary>
public enum BackupRefusal
{
    /// <summary>The server keeps its data in memory (Cirt:Storage=Memory): nothing on disk to copy.</summary>
    NothingOnDisk,

    /// <summary>The cluster profile keeps its data in PostgreSQL and Azure Storage: they are backed up with their own tools.</summary>
    StoredElsewhere,

    /// <summary>Another backup is being taken.</summary>
    UnderWay,

    /// <summary>A backup of that name exists already.</summary>
    NameTaken,

    /// <summary>The writers could not be held, or the copy could not be written (e.g. the disk is full).</summary>
    Unavailable,
}
