using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// Our SQLite schema against the query contract of Orleans' ADO.NET storage provider, on a real
/// SQLite file: versions advance by one, and a stale or duplicate first write is answered with the
/// caller's own version (which the provider turns into an InconsistentStateException).
/// </summary>
public sealed class SqliteGrainStorageContractTests : IDisposable
{
    private readonly TempSqliteDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task AFirstWriteCreatesVersionOneAndASecondFirstWriteIsRefused()
    {
        Assert.Equal(1, await WriteAsync("incident-1", version: null, "a"u8.ToArray()));
        Assert.Null(await WriteAsync("incident-1", version: null, "b"u8.ToArray()));
        Assert.Equal(("a", 1), await ReadAsync("incident-1"));
    }

    [Fact]
    public async Task WritesAdvanceTheVersionAndAStaleWriteChangesNothing()
    {
        await WriteAsync("incident-2", null, "v1"u8.ToArray());
        Assert.Equal(2, await WriteAsync("incident-2", 1, "v2"u8.ToArray()));
        Assert.Equal(1, await WriteAsync("incident-2", 1, "stale"u8.ToArray()));
        Assert.Equal(("v2", 2), await ReadAsync("incident-2"));
    }

    [Fact]
    public async Task AWriteForAGrainThatWasNeverStoredIsRefused()
    {
        Assert.Equal(5, await WriteAsync("incident-3", 5, "x"u8.ToArray()));
        Assert.Null(await ReadAsync("incident-3"));
    }

    [Fact]
    public async Task ClearingKeepsCountingVersions()
    {
        await WriteAsync("incident-4", null, "v1"u8.ToArray());
        Assert.Equal(2, await RunVersionQueryAsync("ClearStorageKey", "incident-4", 1, null));
        Assert.Equal((null, 2), await ReadAsync("incident-4"));
        Assert.Equal(3, await WriteAsync("incident-4", 2, "v3"u8.ToArray()));
    }

    private Task<int?> WriteAsync(string key, int? version, byte[] payload) => RunVersionQueryAsync("WriteToStorageKey", key, version, payload);

    private async Task<int?> RunVersionQueryAsync(string queryKey, string key, int? version, byte[]? payload)
    {
        await using var connection = await _file.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = await QueryAsync(connection, queryKey);
        Bind(command, key, version);
        command.Parameters.AddWithValue("@PayloadBinary", (object?)payload ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the query must answer with one row");
        var result = reader.IsDBNull(0) ? (int?)null : reader.GetInt32(0);
        Assert.False(await reader.ReadAsync(), "the query must answer with exactly one row");
        return result;
    }

    private async Task<(string? Payload, int Version)?> ReadAsync(string key)
    {
        await using var connection = await _file.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = await QueryAsync(connection, "ReadFromStorageKey");
        Bind(command, key, null);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var payload = reader.IsDBNull(reader.GetOrdinal("PayloadBinary")) ? null : System.Text.Encoding.UTF8.GetString((byte[])reader["PayloadBinary"]);
        return (payload, reader.GetInt32(reader.GetOrdinal("Version")));
    }

    private static async Task<string> QueryAsync(SqliteConnection connection, string queryKey)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key";
        command.Parameters.AddWithValue("$key", queryKey);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static void Bind(SqliteCommand command, string key, int? version)
    {
        command.Parameters.AddWithValue("@GrainIdHash", key.Length);
        command.Parameters.AddWithValue("@GrainIdN0", 0L);
        command.Parameters.AddWithValue("@GrainIdN1", 0L);
        command.Parameters.AddWithValue("@GrainTypeHash", 7);
        command.Parameters.AddWithValue("@GrainTypeString", "incident");
        command.Parameters.AddWithValue("@GrainIdExtensionString", key);
        command.Parameters.AddWithValue("@ServiceId", "cirt");
        command.Parameters.AddWithValue("@GrainStateVersion", (object?)version ?? DBNull.Value);
    }
}
