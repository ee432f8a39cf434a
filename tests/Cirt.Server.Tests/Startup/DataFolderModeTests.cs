using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Startup;

/// <summary>The data folder is this user's alone: the folder 0700, every database and its write-ahead log 0600.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DataFolderModeTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task AFreshServerCreatesItsFolderAndDatabasesForItsUserOnly()
    {
        var server = new ServerFixture();
        await server.InitializeAsync();
        try
        {
            await server.Keys().ListKeysAsync(new Cirt.Contracts.V1.ListKeysRequest());

            Assert.Equal(Folder, File.GetUnixFileMode(server.DataDirectory));
            foreach (var database in new[] { "cirt.db", "ingest.db", "ingest-state.db", "federation.db" })
            {
                var path = Path.Combine(server.DataDirectory, database);
                Assert.Equal((database, Private), (database, File.GetUnixFileMode(path)));

                // SQLite drops the write-ahead log when the last connection closes: hold one open
                // (as the server's pool does) and look at the log and shared memory it made.
                await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                await connection.OpenAsync();
                await using var read = connection.CreateCommand();
                read.CommandText = "SELECT count(*) FROM cirt_schema;";
                await read.ExecuteScalarAsync();
                foreach (var companion in new[] { "-wal", "-shm" })
                {
                    Assert.True(File.Exists(path + companion), database + companion + " missing");
                    Assert.Equal((database + companion, Private), (database + companion, File.GetUnixFileMode(path + companion)));
                }
            }

            Assert.DoesNotContain(Directory.GetFiles(server.DataDirectory), file => (File.GetUnixFileMode(file) & ~Private) != 0);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AFolderLeftWithWiderRightsIsTightenedAtStart()
    {
        var server = new ServerFixture();
        const UnixFileMode Readable = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Directory.CreateDirectory(server.DataDirectory, Folder | Readable | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var database = Path.Combine(server.DataDirectory, "cirt.db");
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, Private | Readable);
        await server.InitializeAsync();
        try
        {
            Assert.Equal(Folder, File.GetUnixFileMode(server.DataDirectory));
            Assert.Equal(Private, File.GetUnixFileMode(database));
            Assert.Equal(Private, File.GetUnixFileMode(database + "-wal"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
