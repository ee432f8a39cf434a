using System.Text.Json;

namespace Cirt.Server.Backup;

/// <summary>
/// manifest.json of a backup: what the backup holds and the consistent point it was taken at. Restore
/// checks every file against it before copying anything.
/// </summary>
public sealed record BackupManifest(
    string Format,
    string Name,
    DateTimeOffset ConsistentAt,
    long IngestLogPosition,
    long AggregatedLogPosition,
    IReadOnlyList<BackupFileEntry> Files)
{
    public const string FileName = "manifest.json";

    /// <summary>The layout this server writes and restores; another is refused by restore.</summary>
    public const string CurrentFormat = "cirt-backup/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The manifest in <paramref name="json"/>; <see cref="JsonException"/> when it is not one.</summary>
    public static BackupManifest Parse(string json) =>
        JsonSerializer.Deserialize<BackupManifest>(json, Json) is { Format: not null, Name: not null, Files: not null } manifest
            ? manifest
            : throw new JsonException("it is not a Cirt backup manifest");
}
