using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cirt.Server.Stix;

/// <summary>
/// STIX identifiers: "type--" and an RFC 4122 UUID. The ids we write are version 4 in form but
/// derived, not random: the same item exported again names the same objects, so a second version of
/// an advisory reads in MISP or OpenCTI as a new version of the same objects, not as new ones.
/// </summary>
public static partial class StixIds
{
    /// <summary>
    /// The id of one object of an item: the first 16 bytes of SHA-256 over the origin instance, the
    /// item id and the object's key (e.g. "vulnerability:CVE-2024-3400"), with the version nibble set
    /// to 4 and the variant bits to RFC 4122.
    /// </summary>
    public static string Derive(string type, string instanceId, string itemId, string objectKey)
    {
        // Lengths first, so that no two different triples hash the same bytes.
        var input = Encoding.UTF8.GetBytes($"cirt-stix-id:{instanceId.Length}:{instanceId}:{itemId.Length}:{itemId}:{objectKey}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash[..16]);
        return $"{type}--{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>A fresh random bundle id (a bundle is a transport envelope, not a versioned object).</summary>
    public static string NewBundleId() => "bundle--" + Guid.NewGuid().ToString("D");

    /// <summary>The type part of a well-formed id ("indicator" of "indicator--…"), or null.</summary>
    public static string? TypeOf(string id)
    {
        var match = IdPattern().Match(id);
        return match.Success ? match.Groups["type"].Value : null;
    }

    /// <summary>The UUID's version (the first hex digit of its third group), or null when <paramref name="id"/> is not "type--UUID" with the RFC 4122 variant.</summary>
    public static int? UuidVersion(string id)
    {
        var match = IdPattern().Match(id);
        if (!match.Success)
        {
            return null;
        }

        var variant = char.ToLowerInvariant(match.Groups["variant"].Value[0]);
        return variant is '8' or '9' or 'a' or 'b' ? Convert.ToInt32(match.Groups["version"].Value, 16) : null;
    }

    [GeneratedRegex("^(?<type>[a-z0-9][a-z0-9-]{1,248}[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-(?<version>[0-9a-fA-F])[0-9a-fA-F]{3}-(?<variant>[0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{12}\\z")]
    private static partial Regex IdPattern();
}
