namespace Cirt.Server.Backup;

/// <summary>
/// How long a backup held the writers: all of them (<paramref name="Writers"/>, from asking for the
/// first slot to giving the last back), and the ingest log's group commit (<paramref name="IngestLog"/>,
/// from asking for its slot to giving it back: acknowledgements waited at most about this much longer).
/// </summary>
public sealed record BackupPauses(TimeSpan Writers, TimeSpan IngestLog);
