namespace Cirt.Server.Backup;

/// <summary>One file of a backup: its name (the same in the data folder), its size and the SHA-256 of its content (lower-case hex).</summary>
public sealed record BackupFileEntry(string Name, long SizeBytes, string Sha256);
