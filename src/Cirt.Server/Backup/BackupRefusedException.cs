namespace Cirt.Server.Backup;

/// <summary>A backup that was not taken, and why; nothing of it is left behind.</summary>
public sealed class BackupRefusedException(BackupRefusal reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public BackupRefusal Reason { get; } = reason;
}
