using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Storage;

/// <summary>A real SQLite file with the embedded schema applied, in a folder of its own that goes away with it.</summary>
public sealed class TempSqliteDatabase : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-sqlite-" + Guid.NewGuid().ToString("N"));

    public TempSqliteDatabase()
    {
        Database = new SqliteDatabase(Path.Combine(_directory, "cirt.db"));
        Database.Migrate(Path.Combine(AppContext.BaseDirectory, "sql", "sqlite"));
    }

    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
