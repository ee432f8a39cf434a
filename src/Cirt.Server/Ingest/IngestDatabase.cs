using Cirt.Server.Storage;

namespace Cirt.Server.Ingest;

/// <summary>
/// The ingest log (ingest.db) and the aggregator's results (ingest-state.db), each in a SQLite file
/// of its own beside cirt.db: SQLite has one writer per file, and the log's group commits, which
/// producers wait for, must never queue behind anybody else's writes.
/// </summary>
public sealed class IngestDatabase(SqliteDatabase log, SqliteDatabase state) : IDisposable
{
    public SqliteDatabase Log { get; } = log;

    public SqliteDatabase State { get; } = state;

    /// <summary>
    /// Held while the log's applied batches are deleted (retention), and by a backup from its
    /// snapshot of the aggregator's state until its snapshot of the log: batches the state in the
    /// backup has not applied must still be in the log beside it.
    /// </summary>
    public SemaphoreSlim Pruning { get; } = new(1, 1);

    public static IngestDatabase Create(string directory)
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "sql", "sqlite");
        var log = new SqliteDatabase(Path.Combine(directory, "ingest.db"));
        log.Migrate(Path.Combine(scripts, "ingest"));
        var state = new SqliteDatabase(Path.Combine(directory, "ingest-state.db"));
        state.Migrate(Path.Combine(scripts, "ingest-state"));
        // Retention deletes old rows while the server runs: both files give the space back.
        IncrementalVacuum.Enable(log);
        IncrementalVacuum.Enable(state);
        return new IngestDatabase(log, state);
    }

    /// <summary>Both databases in memory, for the Memory profile: nothing on disk, nothing left behind.</summary>
    public static IngestDatabase CreateInMemory()
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "sql", "sqlite");
        var log = SqliteDatabase.InMemory("ingest");
        log.Migrate(Path.Combine(scripts, "ingest"));
        var state = SqliteDatabase.InMemory("ingest-state");
        state.Migrate(Path.Combine(scripts, "ingest-state"));
        return new IngestDatabase(log, state);
    }

    public void Dispose()
    {
        Pruning.Dispose();
        Log.Dispose();
        State.Dispose();
    }
}
