using System.Text.Json;

namespace Cirt.Server.Taxii;

/// <summary>One version of a STIX object as a bundle carries it, read once: what a collection needs to know of it, and its JSON.</summary>
/// <param name="Version">Its modified time, or created for objects that never change (marking definitions).</param>
/// <param name="VersionText">The version as the object writes it.</param>
/// <param name="CreatedByRef">The identity that created it; empty when none is named.</param>
public sealed record StixObjectVersion(
    string Id,
    string Type,
    string SpecVersion,
    DateTimeOffset Version,
    string VersionText,
    bool Revoked,
    bool Modifiable,
    string CreatedByRef,
    string Json)
{
    /// <summary>Reads one serialised object; FormatException when it is not one.</summary>
    public static StixObjectVersion Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    /// <summary>Reads one object of a bundle; FormatException when it has no id or no version.</summary>
    public static StixObjectVersion Read(JsonElement element)
    {
        var id = Text(element, "id") ?? throw new FormatException("A STIX object has no id.");
        var modified = Text(element, "modified");
        var versionText = modified ?? Text(element, "created") ?? throw new FormatException($"STIX object {id} has neither modified nor created.");
        if (!TaxiiTime.TryParse(versionText, out var version))
        {
            throw new FormatException($"STIX object {id} has a version that is not a timestamp: {versionText}.");
        }

        return new StixObjectVersion(
            id,
            Text(element, "type") ?? "",
            Text(element, "spec_version") ?? "2.1",
            version,
            versionText,
            element.TryGetProperty("revoked", out var revoked) && revoked.ValueKind == JsonValueKind.True,
            modified is not null,
            Text(element, "created_by_ref") ?? "",
            element.GetRawText());
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
