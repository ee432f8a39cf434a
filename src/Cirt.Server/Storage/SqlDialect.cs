namespace Cirt.Server.Storage;

/// <summary>Which database a statement shared by the embedded and the cluster profile is written for.</summary>
internal enum SqlDialect
{
    /// <summary>SQLite, the embedded profile: it merges a UNION's ordered arms and is told which index to read.</summary>
    Sqlite,

    /// <summary>PostgreSQL, the cluster profile: each arm is ordered and limited on its own, and the planner picks the indexes.</summary>
    Postgres,
}
