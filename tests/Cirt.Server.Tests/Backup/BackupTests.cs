using System.Runtime.Versioning;
using Cirt.Contracts.V1;
using Cirt.Server.Backup;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Ingest;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cirt.Server.Tests.Backup;

/// <summary>
/// Online backup (AdminService.Backup) and restore, on a real server and real files: a backup taken
/// while a producer streams events restores into a new data folder on which a second server starts
/// with every event acknowledged before the backup, its incidents counting exactly what its log
/// holds, and the stakeholders, incidents and keys of that moment. Restore refuses an altered backup
/// and a data folder in use; only coordinators back up, and only under names, not paths.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BackupTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string Feed = "backup-sensor-feed";

    [Fact]
    public async Task ABackupTakenDuringIngestRestoresEveryAcknowledgedEventWithNothingHalfApplied()
    {
        var stakeholder = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        stakeholder.Constituency = new Constituency { IpPrefixes = { "100.80.0.0/16" } };
        await server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder });
        var reported = (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var sensorKey = await server.IssueKeyAsync("backup-sensor", Role.Operator, "gridco");
        await server.GrantFeedAsync(Feed, sensorKey);
        var sensor = new IngestService.IngestServiceClient(server.Invoker(sensorKey));
        // Every event its own target in the stakeholder's prefix: no duplicates, nothing unmatched.
        var producer = new StreamingProducer(sensor, n => Events.Infected($"100.80.{n / 256 % 256}.{n % 256}", feed: Feed));
        using var stop = new CancellationTokenSource();
        var producing = producer.RunAsync(stop.Token);
        await Eventually.ReadAsync(() => Task.FromResult(producer.Acks.Length), count => count >= 40, "the producer got no acknowledgements");

        var acknowledgedBefore = producer.Acks.Sum(a => a.Accepted);
        var (started, backup, finished) = (producer.Now, await Admin().BackupAsync(new BackupRequest { Name = "during-ingest" }), producer.Now);
        var acksBeforeEnd = producer.Acks.Length;
        await Eventually.ReadAsync(() => Task.FromResult(producer.Acks.Length), count => count >= acksBeforeEnd + 40, "ingest stopped after the backup");
        await stop.CancelAsync();
        await producing;
        await server.IssueKeyAsync("issued-after-backup", Role.Analyst);

        var acks = producer.Acks;
        var duringBackup = acks.Where(a => a.AckedAt >= started && a.SentAt <= finished).ToArray();
        var usual = acks.Where(a => a.AckedAt < started).Select(a => a.Latency).Order().ToArray();
        output.WriteLine(
            $"Backup took {(finished - started).TotalMilliseconds:0} ms, writers held {backup.WritersPaused.ToTimeSpan().TotalMilliseconds:0.0} ms, the ingest log {backup.IngestLogPaused.ToTimeSpan().TotalMilliseconds:0.0} ms; " +
            $"{duringBackup.Length} acknowledgements during it, the slowest {duringBackup.Select(a => a.Latency.TotalMilliseconds).DefaultIfEmpty().Max():0.0} ms; " +
            $"before it: median {usual[usual.Length / 2].TotalMilliseconds:0.0} ms, max {usual[^1].TotalMilliseconds:0.0} ms; " +
            $"{acknowledgedBefore} events acknowledged before the backup, {acks.Sum(a => a.Accepted)} in all; log position {backup.IngestLogPosition}, aggregated {backup.AggregatedLogPosition}");
        Assert.True(backup.IngestLogPaused.ToTimeSpan() < TimeSpan.FromSeconds(1), $"the ingest log was held {backup.IngestLogPaused.ToTimeSpan()}");
        Assert.True(backup.IngestLogPaused.ToTimeSpan() <= backup.WritersPaused.ToTimeSpan());
        Assert.True(backup.AggregatedLogPosition <= backup.IngestLogPosition);

        // What the server wrote: every file of the data folder, each as its manifest says, for this user only.
        Assert.Equal(Path.Combine(server.DataDirectory, OnlineBackup.FolderName, "during-ingest"), backup.Folder);
        Assert.Equal(
            ["bootstrap-coordinator.key", "cirt.db", "federation-pseudonym.key", "federation-signing-key.pem", "federation.db", "ingest-state.db", "ingest.db"],
            backup.Files.Select(f => f.Name).Where(n => n != "taxii-next.key").Order(StringComparer.Ordinal));
        Assert.Equal(
            backup.Files.Select(f => f.Name).Append(BackupManifest.FileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(backup.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in backup.Files)
        {
            var onDisk = await FileDigest.OfAsync(Path.Combine(backup.Folder, file.Name));
            Assert.Equal((file.SizeBytes, file.Sha256), (onDisk.SizeBytes, onDisk.Sha256));
            Assert.Equal(DataFolder.FileMode, File.GetUnixFileMode(Path.Combine(backup.Folder, file.Name)));
        }

        Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(backup.Folder));
        Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(Path.GetDirectoryName(backup.Folder)!));

        var restored = new ServerFixture();
        try
        {
            var (said, complained) = (new StringWriter(), new StringWriter());
            Assert.Equal(0, await BackupRestore.RunAsync(["--from", backup.Folder, "--data", restored.DataDirectory], said, complained));
            Assert.Contains($"--Cirt:DataDirectory {restored.DataDirectory}", said.ToString());
            Assert.Equal("", complained.ToString());
            Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(restored.DataDirectory));
            Assert.All(Directory.GetFiles(restored.DataDirectory), f => Assert.Equal(DataFolder.FileMode, File.GetUnixFileMode(f)));
            var inRestoredLog = EventsInLog(Path.Combine(restored.DataDirectory, "ingest.db"));

            await restored.InitializeAsync();

            // Every event acknowledged before the backup is there, and no more than was ever acknowledged.
            var stats = await IngestStats.SettledAsync(new IngestService.IngestServiceClient(restored.Invoker(restored.AnalystKey)));
            var feed = stats.Feeds.Single(f => f.Feed == Feed);
            Assert.True(feed.Stored >= acknowledgedBefore, $"{feed.Stored} events stored after the restore, {acknowledgedBefore} acknowledged before the backup");
            Assert.True(feed.Stored <= acks.Sum(a => a.Accepted));
            Assert.Equal(inRestoredLog, feed.Stored);
            Assert.Equal(0, feed.Resent + feed.Duplicates + feed.Unmatched);

            // Nothing half-applied: once aggregation has caught up, the incidents count exactly what the restored log holds.
            var incidents = await restored.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholder.Id });
            var counted = 0L;
            foreach (var summary in incidents.Incidents)
            {
                counted += (await restored.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = summary.TrackingId })).Incident.EventCount;
            }

            Assert.Equal(feed.Stored, counted);

            // The rest of the server as it was at the backup.
            Assert.Equal(stakeholder.Name, (await restored.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = stakeholder.Id })).Stakeholder.Name);
            Assert.Equal(reported, (await restored.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = reported })).Incident.TrackingId);
            var keys = (await restored.Keys().ListKeysAsync(new ListKeysRequest())).Keys.Select(k => k.Name).ToArray();
            Assert.Contains("backup-sensor", keys);
            Assert.DoesNotContain("issued-after-backup", keys);
            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "federation-signing-key.pem")),
                await File.ReadAllTextAsync(Path.Combine(restored.DataDirectory, "federation-signing-key.pem")));
        }
        finally
        {
            await restored.DisposeAsync();
        }
    }

    [Fact]
    public async Task RestoreRefusesABackupWhoseFileDoesNotMatchItsManifestAndCreatesNothing()
    {
        var backup = await Admin().BackupAsync(new BackupRequest { Name = "tampered-" + Guid.NewGuid().ToString("N")[..8] });
        var altered = Path.Combine(backup.Folder, "federation-pseudonym.key");
        File.SetUnixFileMode(altered, DataFolder.FileMode);
        await File.AppendAllTextAsync(altered, "x");
        var target = Path.Combine(Path.GetTempPath(), "cirt-restore-" + Guid.NewGuid().ToString("N"));

        var (said, complained) = (new StringWriter(), new StringWriter());
        var exit = await BackupRestore.RunAsync(["--from", backup.Folder, "--data", target], said, complained);

        Assert.Equal(2, exit);
        var line = Assert.Single(complained.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cirt: restore: federation-pseudonym.key does not match the backup's manifest", line);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetTempPath(), "." + Path.GetFileName(target) + "*"));
    }

    [Fact]
    public async Task RestoreRefusesADataFolderThatIsNotEmpty()
    {
        var backup = await Admin().BackupAsync(new BackupRequest { Name = "over-data-" + Guid.NewGuid().ToString("N")[..8] });
        var target = Path.Combine(Path.GetTempPath(), "cirt-restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "cirt.db"), "a server's data");
        try
        {
            var (said, complained) = (new StringWriter(), new StringWriter());
            var exit = await BackupRestore.RunAsync([$"--from={backup.Folder}", "--data", target], said, complained);

            Assert.Equal(2, exit);
            Assert.Equal($"cirt: restore: the data folder {target} is not empty: restore only into a new or empty folder, never over a server's data.", complained.ToString().Trim());
            Assert.Equal(["cirt.db"], Directory.GetFiles(target).Select(Path.GetFileName));
            Assert.Equal("a server's data", await File.ReadAllTextAsync(Path.Combine(target, "cirt.db")));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task RestoreWithoutItsOptionsSaysHowToCallIt()
    {
        var (said, complained) = (new StringWriter(), new StringWriter());

        Assert.Equal(2, await BackupRestore.RunAsync(["--from", "/nowhere"], said, complained));
        Assert.Equal("cirt: restore: --data is missing; use: restore --from <backup folder> --data <new, empty data folder>", complained.ToString().Trim());
    }

    [Fact]
    public async Task OnlyCoordinatorsTakeBackups()
    {
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Admin(server.AnalystKey).BackupAsync(new BackupRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Admin(server.GridcoKey).BackupAsync(new BackupRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => Admin("").BackupAsync(new BackupRequest()).ResponseAsync);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/tmp/elsewhere")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("..")]
    [InlineData("with space")]
    [InlineData("a-name-that-is-far-too-long-for-a-backup-folder-0123456789abcdef0123")]
    public async Task ABackupIsNamedNeverPlaced(string name)
    {
        var before = BackupsFolderEntries();

        var fields = await RpcAssert.InvalidFields(() => Admin().BackupAsync(new BackupRequest { Name = name }).ResponseAsync);

        Assert.Equal(["name"], fields);
        Assert.Equal(before, BackupsFolderEntries());
        Assert.False(Directory.Exists("/tmp/elsewhere"));
    }

    [Fact]
    public async Task ABackupNameIsTakenOnce()
    {
        var name = "once-" + Guid.NewGuid().ToString("N")[..8];
        var first = await Admin().BackupAsync(new BackupRequest { Name = name });

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Admin().BackupAsync(new BackupRequest { Name = name }).ResponseAsync);
        Assert.True(File.Exists(Path.Combine(first.Folder, BackupManifest.FileName)));
    }

    private AdminService.AdminServiceClient Admin(string? key = null) => new(server.Invoker(key ?? server.CoordinatorKey));

    private string[] BackupsFolderEntries()
    {
        var folder = Path.Combine(server.DataDirectory, OnlineBackup.FolderName);
        return Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Order(StringComparer.Ordinal).ToArray() : [];
    }

    /// <summary>How many events a log file holds, read straight from the file.</summary>
    private static long EventsInLog(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(event_count), 0) FROM ingest_batch;";
        return (long)command.ExecuteScalar()!;
    }
}
