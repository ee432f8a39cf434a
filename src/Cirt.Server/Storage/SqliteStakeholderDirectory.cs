using System.Text.Json;
using Cirt.Grains.Stakeholders;

namespace Cirt.Server.Storage;

/// <summary>The stakeholder directory of the embedded profile: table stakeholder_directory in the SQLite file.</summary>
public sealed class SqliteStakeholderDirectory(SqliteDatabase database) : IStakeholderDirectory
{
    private long _changeCount;

    public long ChangeCount => Interlocked.Read(ref _changeCount);

    public Task UpsertAsync(Stakeholder stakeholder, CancellationToken cancellationToken = default) => database.WriteAsync(async () =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO stakeholder_directory (id, sectors, version, document) VALUES ($id, $sectors, $version, $document)
            ON CONFLICT (id) DO UPDATE SET sectors = excluded.sectors, version = excluded.version, document = excluded.document
            WHERE excluded.version >= stakeholder_directory.version;
            """;
        command.Parameters.AddWithValue("$id", stakeholder.Id);
        command.Parameters.AddWithValue("$sectors", ListColumn.Encode(stakeholder.SectorCodes));
        command.Parameters.AddWithValue("$version", stakeholder.Version);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(stakeholder));
        await command.ExecuteNonQueryAsync(cancellationToken);
        Interlocked.Increment(ref _changeCount);
    });

    public async Task<(IReadOnlyList<Stakeholder> Page, int Total)> ListAsync(string? sectorCode, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = sectorCode is null ? "" : "WHERE instr(sectors, $sector) > 0";
        command.CommandText = $"""
            SELECT count(*) FROM stakeholder_directory {where};
            SELECT document FROM stakeholder_directory {where} ORDER BY id LIMIT $limit OFFSET $offset;
            """;
        if (sectorCode is not null)
        {
            command.Parameters.AddWithValue("$sector", ListColumn.Entry(sectorCode));
        }

        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var page = new List<Stakeholder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(JsonSerializer.Deserialize<Stakeholder>(reader.GetString(0))!);
        }

        return (page, total);
    }
}
