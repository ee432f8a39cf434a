using System.Diagnostics;
using Cirt.Server.Federation;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Backup;

/// <summary>
/// Takes a consistent copy of the data folder while the server runs, into backups/&lt;name&gt;/ under it.
/// <para>
/// The consistent point: the writers of cirt.db (grain state, read model, reminders) and of the
/// federation store are held (<see cref="WriterBarrier"/>: writes in flight finish, new ones wait),
/// and a read transaction (<see cref="DatabaseSnapshot"/>) is opened on ingest-state.db, cirt.db and
/// federation.db; then the ingest log's group commit is held too, only long enough to open one on the
/// log, so acknowledgements wait for no more than the commit in flight. Then every writer goes on,
/// and each snapshot is copied with SQLite's online backup at leisure. So the databases in the backup
/// are what a power cut at that moment would have left on disk: whole transactions only, none
/// half-written, and Cirt recovers from that by design (the aggregator resumes from its recorded
/// position and its pending pass, and its deltas to incidents are idempotent by log position). The
/// aggregator's own file (ingest-state.db) is written outside the slots, but a pass is recorded only
/// after its incidents are written, which the barrier holds: whichever side of the snapshot its
/// commit falls, the restored server either finds the pass recorded or replays it, and counts
/// nothing twice. The log's snapshot, taken last, holds every batch acknowledged before it: every
/// position the state names, and perhaps batches not aggregated yet, which the restored server
/// aggregates.
/// </para>
/// <para>
/// Other files of the data folder (the keys: federation signing key, pseudonym secret, TAXII token
/// key, bootstrap coordinator key) are written once and copied as they are. The backup is written
/// under a hidden name and renamed when complete: a folder under backups/ without a leading '.' is a
/// whole backup.
/// </para>
/// </summary>
public sealed class OnlineBackup(CirtOptions cirt, IServiceProvider services, ILogger<OnlineBackup> logger)
{
    /// <summary>The folder under the data folder that holds the backups.</summary>
    public const string FolderName = "backups";

    /// <summary>How long the barrier waits for the writers in flight before it gives up.</summary>
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Writes a backup named <paramref name="name"/> (the UTC time when null); <see cref="BackupRefusedException"/> when it cannot.</summary>
    public async Task<TakenBackup> TakeAsync(string? name, CancellationToken cancellationToken)
    {
        if (cirt.Storage == StorageProfile.Cluster)
        {
            throw new BackupRefusedException(BackupRefusal.StoredElsewhere,
                "Online backup copies the embedded profile's SQLite files; the cluster profile (Cirt:Storage=Cluster) keeps its data in PostgreSQL and Azure Storage: " +
                "back up PostgreSQL with pg_dump (or continuous archiving) and Azure Storage with its own tools (AzCopy, blob versioning, account replication), as docs/cluster.md describes.");
        }

        if (cirt.Storage != StorageProfile.Embedded)
        {
            throw new BackupRefusedException(BackupRefusal.NothingOnDisk,
                $"The server keeps its data in memory (Cirt:Storage={cirt.Storage}): there is nothing on disk to back up.");
        }

        if (!await _one.WaitAsync(0, cancellationToken))
        {
            throw new BackupRefusedException(BackupRefusal.UnderWay, "Another backup is being taken; ask again once it is done.");
        }

        try
        {
            return await WriteAsync(name ?? BackupName.ForTime(DateTimeOffset.UtcNow), cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<TakenBackup> WriteAsync(string name, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(cirt.DataDirectory);
        var backups = Path.Combine(data, FolderName);
        var folder = Path.Combine(backups, name);
        if (Directory.Exists(folder))
        {
            throw new BackupRefusedException(BackupRefusal.NameTaken, $"A backup named '{name}' exists already ({folder}).");
        }

        var partial = Path.Combine(backups, "." + name + ".partial");
        try
        {
            DataFolder.Ensure(backups);
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true); // left by a backup the server did not finish
            }

            DataFolder.Ensure(partial);
            var (manifest, paused) = await CopyDatabasesAsync(name, data, partial, cancellationToken);
            var files = manifest.Files.ToList();
            foreach (var file in OtherFiles(data))
            {
                files.Add(await FileDigest.CopyAsync(file, Path.Combine(partial, Path.GetFileName(file)), cancellationToken));
            }

            manifest = manifest with { Files = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray() };
            await WriteManifestAsync(Path.Combine(partial, BackupManifest.FileName), manifest, cancellationToken);
            Directory.Move(partial, folder);
            logger.LogInformation(
                "Backup {Name} written to {Folder}: {Files} files, {Bytes} bytes, consistent at ingest log position {Position}; writers held {PausedMs} ms, the ingest log {LogPausedMs} ms",
                name, folder, manifest.Files.Count, manifest.Files.Sum(f => f.SizeBytes), manifest.IngestLogPosition,
                paused.Writers.TotalMilliseconds, paused.IngestLog.TotalMilliseconds);
            return new TakenBackup(folder, manifest, paused);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException or TimeoutException)
        {
            TryDelete(partial);
            logger.LogWarning(e, "Backup {Name} failed; nothing of it was kept", name);
            var why = e is TimeoutException ? $"the writers in flight did not finish within {BarrierTimeout.TotalSeconds:0} s" : e.Message;
            throw new BackupRefusedException(BackupRefusal.Unavailable, $"The backup could not be taken ({why}); nothing of it was kept. Try again.", e);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>Holds the writers, opens a snapshot of every database, lets the writers go, then copies each snapshot.</summary>
    private async Task<(BackupManifest Manifest, BackupPauses Paused)> CopyDatabasesAsync(string name, string data, string partial, CancellationToken cancellationToken)
    {
        var main = services.GetRequiredService<SqliteDatabase>();
        var ingest = services.GetRequiredService<IngestDatabase>();
        var federation = services.GetRequiredService<FederationStore>().Database;
        // Any other database a later version keeps in the folder: copied at the same point, its
        // writers (if any) not held.
        var others = Directory.GetFiles(data, "*.db")
            .Where(path => !new[] { main, ingest.State, federation, ingest.Log }.Any(d => d.Path == Path.GetFullPath(path)))
            .Order(StringComparer.Ordinal)
            .ToArray();

        // Connections are opened before the writers are held: inside, only the snapshots are taken.
        var connections = new List<(string Path, SqliteConnection Connection)>();
        var snapshots = new List<DatabaseSnapshot>();
        try
        {
            // The aggregator's state first and the log last: the log holds every position the state names.
            connections.Add((ingest.State.Path, await ingest.State.OpenAsync(cancellationToken)));
            connections.Add((main.Path, await main.OpenAsync(cancellationToken)));
            connections.Add((federation.Path, await federation.OpenAsync(cancellationToken)));
            foreach (var other in others)
            {
                var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = other, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                connections.Add((other, connection));
                await connection.OpenAsync(cancellationToken);
            }

            connections.Add((ingest.Log.Path, await ingest.Log.OpenAsync(cancellationToken)));
            // cirt.db and federation.db first: their writers may be many (every incident of an
            // aggregation pass), and waiting for them must not hold up the ingest log. Only once
            // they are held is the log's slot asked for: acknowledgements wait for at most the group
            // commit in flight and one snapshot.
            var held = Stopwatch.StartNew();
            TimeSpan logHeld;
            DateTimeOffset at;
            // Retention must not delete, between the state's snapshot and the log's, batches the
            // state in the backup has not applied yet.
            await ingest.Pruning.WaitAsync(cancellationToken);
            try
            {
                await using (await WriterBarrier.HoldAsync([main, federation], BarrierTimeout, cancellationToken))
                {
                    at = DateTimeOffset.UtcNow;
                    foreach (var (path, connection) in connections.SkipLast(1))
                    {
                        snapshots.Add(await DatabaseSnapshot.BeginAsync(path, connection, cancellationToken));
                    }

                    var logAsked = Stopwatch.GetTimestamp();
                    await using (await WriterBarrier.HoldAsync([ingest.Log], BarrierTimeout, cancellationToken))
                    {
                        snapshots.Add(await DatabaseSnapshot.BeginAsync(connections[^1].Path, connections[^1].Connection, cancellationToken));
                    }

                    logHeld = Stopwatch.GetElapsedTime(logAsked);
                }
            }
            finally
            {
                ingest.Pruning.Release();
            }

            var paused = new BackupPauses(held.Elapsed, logHeld);
            var aggregated = (long)(await snapshots[0].ScalarAsync(IngestStateStore.AppliedSeqSql, cancellationToken))!;
            var position = (long)(await snapshots[^1].ScalarAsync("SELECT coalesce(max(seq), 0) FROM ingest_batch;", cancellationToken))!;
            var files = new List<BackupFileEntry>();
            foreach (var snapshot in snapshots)
            {
                var destination = Path.Combine(partial, Path.GetFileName(snapshot.Path));
                // SQLite's backup runs synchronously: off the request's thread.
                await Task.Run(() => snapshot.CopyTo(destination), cancellationToken);
                files.Add(await FileDigest.OfAsync(destination, cancellationToken));
            }

            return (new BackupManifest(BackupManifest.CurrentFormat, name, at, position, aggregated, files), paused);
        }
        finally
        {
            foreach (var snapshot in snapshots)
            {
                await snapshot.DisposeAsync();
            }

            foreach (var (_, connection) in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The data folder's files that are not databases, nor a database's journal or write-ahead log: the keys.</summary>
    private static IEnumerable<string> OtherFiles(string data) =>
        Directory.GetFiles(data)
            .Where(path => !path.EndsWith(".db", StringComparison.Ordinal)
                           && !new[] { ".db-wal", ".db-shm", ".db-journal" }.Any(suffix => path.EndsWith(suffix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    private static async Task WriteManifestAsync(string path, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = DataFolder.FileMode;
        }

        await using var stream = new FileStream(path, options);
        await using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            await writer.WriteAsync(manifest.ToJson().AsMemory(), cancellationToken);
        }

        stream.Flush(flushToDisk: true);
    }

    private void TryDelete(string partial)
    {
        try
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "The unfinished backup {Folder} could not be removed", partial);
        }
    }
}
