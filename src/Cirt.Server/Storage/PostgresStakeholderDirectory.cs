using System.Text.Json;
using Cirt.Grains.Stakeholders;
using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The stakeholder directory of the cluster profile: table stakeholder_directory in PostgreSQL
/// (deploy/sql/postgresql/301-stakeholder-directory.sql), shared by every silo. Every change also
/// counts up stakeholder_directory_changes in its transaction; <see cref="ChangeCount"/> is that count
/// as this silo last read it: its own changes at once, another silo's within
/// <see cref="ReadAgainAfter"/> of the next look (re-read in the background, one small row, at most
/// once per that period), so every silo's routing index rebuilds after any silo's change.
/// </summary>
public sealed class PostgresStakeholderDirectory(PostgresDatabase database, ILogger<PostgresStakeholderDirectory> logger) : IStakeholderDirectory
{
    /// <summary>How old the count may be when it is looked at before it is read again.</summary>
    public static readonly TimeSpan ReadAgainAfter = TimeSpan.FromSeconds(1);

    private long _changeCount = -1;
    private long _readDueAt;
    private int _reading;

    public long ChangeCount
    {
        get
        {
            if (Environment.TickCount64 >= Interlocked.Read(ref _readDueAt)
                && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
            {
                _ = ReadChangeCountAsync();
            }

            return Interlocked.Read(ref _changeCount);
        }
    }

    public async Task UpsertAsync(Stakeholder stakeholder, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO stakeholder_directory AS listed (id, sectors, version, document) VALUES (@id, @sectors, @version, @document)
            ON CONFLICT (id) DO UPDATE SET sectors = excluded.sectors, version = excluded.version, document = excluded.document
            WHERE excluded.version >= listed.version;
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("id", stakeholder.Id);
            upsert.Parameters.AddWithValue("sectors", ListColumn.Encode(stakeholder.SectorCodes));
            upsert.Parameters.AddWithValue("version", stakeholder.Version);
            upsert.Parameters.AddWithValue("document", JsonSerializer.Serialize(stakeholder));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        long changes;
        await using (var count = new NpgsqlCommand("UPDATE stakeholder_directory_changes SET changes = changes + 1 WHERE id = 1 RETURNING changes;", connection, transaction))
        {
            changes = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);
        Raise(changes);
    }

    public async Task<(IReadOnlyList<Stakeholder> Page, int Total)> ListAsync(string? sectorCode, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var where = sectorCode is null ? "" : "WHERE strpos(sectors, @sector) > 0";
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM stakeholder_directory {where};");
        // Ordered byte by byte ("C"), as SQLite and the memory directory order ids.
        var page = new NpgsqlBatchCommand($"SELECT document FROM stakeholder_directory {where} ORDER BY id COLLATE \"C\" LIMIT @limit OFFSET @offset;");
        if (sectorCode is not null)
        {
            count.Parameters.AddWithValue("sector", ListColumn.Entry(sectorCode));
            page.Parameters.AddWithValue("sector", ListColumn.Entry(sectorCode));
        }

        page.Parameters.AddWithValue("limit", limit);
        page.Parameters.AddWithValue("offset", offset);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { count, page } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var listed = new List<Stakeholder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            listed.Add(JsonSerializer.Deserialize<Stakeholder>(reader.GetString(0))!);
        }

        return (listed, total);
    }

    private async Task ReadChangeCountAsync()
    {
        try
        {
            await using var connection = await database.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT changes FROM stakeholder_directory_changes WHERE id = 1;", connection);
            Raise((long)(await read.ExecuteScalarAsync())!);
        }
        catch (Exception ex)
        {
            // The routing index stays as it is until the next look reads the count.
            logger.LogWarning(ex, "Stakeholder directory: the change count could not be read; routing keeps its index until it can");
        }
        finally
        {
            Interlocked.Exchange(ref _readDueAt, Environment.TickCount64 + (long)ReadAgainAfter.TotalMilliseconds);
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Moves the count forward to <paramref name="changes"/>, never back (a slower read may end after a newer change).</summary>
    private void Raise(long changes)
    {
        var seen = Interlocked.Read(ref _changeCount);
        while (changes > seen)
        {
            var was = Interlocked.CompareExchange(ref _changeCount, changes, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
