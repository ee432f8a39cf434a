namespace Cirt.Server.Backup;

/// <summary>A backup written: its folder, its manifest, and how long writers were held for its consistent point.</summary>
public sealed record TakenBackup(string Folder, BackupManifest Manifest, BackupPauses Paused);
