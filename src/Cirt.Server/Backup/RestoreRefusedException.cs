namespace Cirt.Server.Backup;

/// <summary>A restore that was refused, in one line naming the file or the rule; nothing was restored.</summary>
public sealed class RestoreRefusedException(string message) : Exception(message);
