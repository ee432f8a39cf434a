using System.Runtime.Versioning;
using Cirt.Server.Storage;

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
            // Something written, so that every write-ahead log exists.
            await server.Keys().ListKeysAsync(new Cirt.Contracts.V1.ListKeysRequest());

            Assert.Equal(Folder, File.GetUnixFileMode(server.DataDirectory));
            foreach (var database in new[] { "cirt.db", "ingest.db", "ingest-state.db", "federation.db" })
            {
                var path = Path.Combine(server.DataDirectory, database);
                Assert.Equal((database, Private), (database, File.GetUnixFileMode(path)));
                Assert.True(File.Exists(path + "-wal"), database + "-wal missing");
                Assert.Equal((database + "-wal", Private), (database + "-wal", File.GetUnixFileMode(path + "-wal")));
            }

            Assert.DoesNotContain(Directory.GetFiles(server.DataDirectory), file => (File.GetUnixFileMode(file) & ~Private) != 0);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public void AnOlderFolderWithWiderRightsIsTightened()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cirt-modes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var database = Path.Combine(folder, "cirt.db");
        File.WriteAllBytes(database, []);
        File.WriteAllBytes(database + "-wal", []);
        File.SetUnixFileMode(database, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(database + "-wal", Private | UnixFileMode.OtherRead);
        try
        {
            DataFolder.EnsureDatabaseFile(database);

            Assert.Equal(Folder, File.GetUnixFileMode(folder));
            Assert.Equal(Private, File.GetUnixFileMode(database));
            Assert.Equal(Private, File.GetUnixFileMode(database + "-wal"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
