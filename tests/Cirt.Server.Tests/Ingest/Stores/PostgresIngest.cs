namespace Cirt.Server.Tests.Ingest.Stores;

/// <summary>Where the PostgreSQL schema scripts are beside the test binaries (copied from deploy/sql/postgresql).</summary>
public static class PostgresIngest
{
    public static string Scripts { get; } = Path.Combine(AppContext.BaseDirectory, "sql", "postgresql");
}
