using System.Text.Json;
using System.Text.RegularExpressions;
using Cirt.Server.Federation;

namespace Cirt.Server.Stix;

/// <summary>
/// Our own check of a STIX 2.1 bundle, run on every bundle we write and every bundle we read: the
/// bundle's shape; ids "type--" and a UUID (version 4; on import 5 too); RFC 3339 UTC timestamps
/// (exactly milliseconds on export); modified not before created; spec_version "2.1"; the required
/// properties of each type; TLP marking definitions whose id, name and value agree; every *_ref and
/// *_refs resolving inside the bundle. It answers with every violation, each naming the object and
/// the rule, rather than stopping at the first.
/// </summary>
public static partial class StixValidator
{
    /// <summary>Violations reported at most; a bundle that breaks more is refused all the same.</summary>
    public const int MaxViolations = 100;

    private static readonly HashSet<string> CyberObservables =
    [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr",
        "mac-addr", "mutex", "network-traffic", "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate",
    ];

    /// <summary>Properties each type must carry besides the common ones (STIX 2.1, sections 4 to 7).</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["attack-pattern"] = ["name"],
        ["campaign"] = ["name"],
        ["course-of-action"] = ["name"],
        ["grouping"] = ["context", "object_refs"],
        ["identity"] = ["name"],
        ["incident"] = ["name"],
        ["indicator"] = ["pattern", "pattern_type", "valid_from"],
        ["infrastructure"] = ["name"],
        ["intrusion-set"] = ["name"],
        ["malware"] = ["is_family"],
        ["malware-analysis"] = ["product"],
        ["note"] = ["content", "object_refs"],
        ["observed-data"] = ["first_observed", "last_observed", "number_observed", "object_refs"],
        ["opinion"] = ["opinion", "object_refs"],
        ["report"] = ["name", "published", "object_refs"],
        ["threat-actor"] = ["name"],
        ["tool"] = ["name"],
        ["vulnerability"] = ["name"],
        ["relationship"] = ["relationship_type", "source_ref", "target_ref"],
        ["sighting"] = ["sighting_of_ref"],
        ["extension-definition"] = ["created_by_ref", "name", "schema", "version", "extension_types"],
        ["language-content"] = ["object_ref", "contents"],
        ["autonomous-system"] = ["number"],
        ["domain-name"] = ["value"],
        ["email-addr"] = ["value"],
        ["ipv4-addr"] = ["value"],
        ["ipv6-addr"] = ["value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["url"] = ["value"],
    };

    /// <summary>Timestamp properties at the top of an object.</summary>
    private static readonly string[] Timestamps =
    [
        "created", "modified", "published", "valid_from", "valid_until", "first_seen", "last_seen", "first_observed", "last_observed",
        "start_time", "stop_time", "object_modified",
    ];

    /// <summary>Every violation of <paramref name="json"/>, none when it is a valid bundle.</summary>
    public static IReadOnlyList<StixViolation> Validate(string json, StixValidationMode mode)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // I-JSON: no duplicate member names, no lone surrogates, numbers that are doubles.
            Jcs.CanonicalString(json);
        }
        catch (FormatException e)
        {
            return [new StixViolation("bundle", e.Message)];
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Jcs.MaxDepth });
        var check = new Check(mode);
        check.Bundle(document.RootElement);
        return check.Violations;
    }

    private sealed class Check(StixValidationMode mode)
    {
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public List<StixViolation> Violations { get; } = [];

        private void Add(string where, string rule)
        {
            if (Violations.Count < MaxViolations)
            {
                Violations.Add(new StixViolation(where, rule));
            }
        }

        public void Bundle(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add("bundle", "must be a JSON object");
                return;
            }

            if (Text(root, "type") != "bundle")
            {
                Add("bundle", "type must be \"bundle\"");
            }

            if (root.TryGetProperty("spec_version", out _))
            {
                Add("bundle", "a bundle with spec_version is STIX 2.0; only STIX 2.1 bundles are read and written");
            }

            Id("bundle", root, "bundle");
            if (!root.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
            {
                Add("bundle", "objects must be a list of STIX objects");
                return;
            }

            foreach (var item in objects.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "id") is { } id)
                {
                    _ids.Add(id);
                }
            }

            var index = 0;
            foreach (var item in objects.EnumerateArray())
            {
                var where = item.ValueKind == JsonValueKind.Object && Text(item, "id") is { Length: > 0 and <= 300 } id ? id : $"objects[{index}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Add(where, "must be a JSON object");
                }
                else
                {
                    Object(where, item);
                }

                index++;
            }
        }

        private void Object(string where, JsonElement o)
        {
            var type = Text(o, "type");
            if (type is null || !TypePattern().IsMatch(type))
            {
                Add(where, "type must be 3 to 250 lower-case letters, digits or '-', starting and ending with a letter or digit");
                return;
            }

            Id(where, o, type);
            var observable = CyberObservables.Contains(type);
            var spec = Text(o, "spec_version");
            if (!observable || o.TryGetProperty("spec_version", out _))
            {
                if (spec != "2.1")
                {
                    Add(where, spec is null ? "spec_version \"2.1\" is required" : $"spec_version must be \"2.1\" (it is \"{Shorten(spec)}\")");
                }
            }

            foreach (var name in Timestamps)
            {
                if (o.TryGetProperty(name, out var value))
                {
                    Timestamp(where, name, value);
                }
            }

            if (!observable)
            {
                Versioning(where, o, type);
            }

            if (Required.TryGetValue(type, out var required))
            {
                foreach (var name in required)
                {
                    if (!Present(o, name))
                    {
                        Add(where, $"{name} is required on a {type}");
                    }
                }
            }

            if (type == "indicator" && Time(o, "valid_from") is { } from && Time(o, "valid_until") is { } until && until <= from)
            {
                Add(where, "valid_until must be after valid_from");
            }

            if (type == "marking-definition")
            {
                Marking(where, o);
            }

            References(where, o);
        }

        private void Id(string where, JsonElement o, string type)
        {
            var id = Text(o, "id");
            if (id is null)
            {
                Add(where, "id is required");
                return;
            }

            var version = StixIds.UuidVersion(id);
            if (version is null || StixIds.TypeOf(id) != type)
            {
                Add(where, $"id must be \"{type}--\" and an RFC 4122 UUID");
            }
            else if (version != 4 && !(mode == StixValidationMode.Import && version == 5))
            {
                Add(where, mode == StixValidationMode.Export
                    ? $"id must hold a version 4 UUID (it holds version {version})"
                    : $"id must hold a version 4 UUID, or 5 (it holds version {version})");
            }
        }

        private void Timestamp(string where, string name, JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.String || !StixTime.TryParse(value.GetString()!, mode == StixValidationMode.Export, out _))
            {
                Add(where, mode == StixValidationMode.Export
                    ? $"{name} must be an RFC 3339 timestamp in UTC with millisecond precision, e.g. 2026-03-01T09:30:00.000Z"
                    : $"{name} must be an RFC 3339 timestamp in UTC, e.g. 2026-03-01T09:30:00Z");
            }
        }

        /// <summary>created on every non-observable object; modified too (marking definitions cannot be versioned), not before created.</summary>
        private void Versioning(string where, JsonElement o, string type)
        {
            if (!o.TryGetProperty("created", out _))
            {
                Add(where, "created is required");
            }

            if (type != "marking-definition" && !o.TryGetProperty("modified", out _))
            {
                Add(where, "modified is required");
            }

            if (Time(o, "created") is { } created && Time(o, "modified") is { } modified && modified < created)
            {
                Add(where, "modified must not be before created");
            }
        }

        private void Marking(string where, JsonElement o)
        {
            var id = Text(o, "id") ?? "";
            var tlp2 = o.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
                       && extensions.TryGetProperty(TlpMarkings.Tlp2Extension, out var extension)
                ? extension
                : (JsonElement?)null;
            if (TlpMarkings.Tlp2Level(id) is not null || tlp2 is not null)
            {
                Tlp2(where, o, id, tlp2);
                return;
            }

            var definitionType = Text(o, "definition_type");
            if (TlpMarkings.Tlp1Level(id) is not null || definitionType == "tlp")
            {
                var value = TlpMarkings.Tlp1Value(id);
                if (value is null)
                {
                    Add(where, "a \"tlp\" marking definition must have one of the four ids STIX 2.1 predefines for TLP 1.0");
                }
                else if (definitionType != "tlp" || !o.TryGetProperty("definition", out var definition)
                         || definition.ValueKind != JsonValueKind.Object || Text(definition, "tlp") != value)
                {
                    Add(where, $"this TLP 1.0 id must have definition_type \"tlp\" and definition {{\"tlp\": \"{value}\"}}");
                }
                else if (Text(o, "name") is { } name && name != "TLP:" + value.ToUpperInvariant())
                {
                    Add(where, $"name must be \"TLP:{value.ToUpperInvariant()}\" for this id (it is \"{Shorten(name)}\")");
                }

                return;
            }

            if (definitionType is null)
            {
                if (tlp2 is null && !o.TryGetProperty("extensions", out _))
                {
                    Add(where, "a marking definition needs definition_type and definition, or an extension that defines it");
                }
            }
            else if (!o.TryGetProperty("definition", out var definition) || definition.ValueKind != JsonValueKind.Object)
            {
                Add(where, "definition must be an object");
            }
            else if (definitionType == "statement" && Text(definition, "statement") is not { Length: > 0 })
            {
                Add(where, "a statement marking needs definition.statement");
            }
        }

        private void Tlp2(string where, JsonElement o, string id, JsonElement? extension)
        {
            var level = TlpMarkings.Tlp2Level(id);
            if (level is null)
            {
                Add(where, "a TLP 2.0 marking definition must have one of the five OASIS ids");
                return;
            }

            var expected = TlpMarkings.Tlp2Value(id)!;
            if (extension is not { ValueKind: JsonValueKind.Object } ext)
            {
                Add(where, $"this TLP 2.0 id needs the extension {TlpMarkings.Tlp2Extension} with tlp_2_0 \"{expected}\"");
                return;
            }

            if (Text(ext, "extension_type") != "property-extension")
            {
                Add(where, "the TLP 2.0 extension's extension_type must be \"property-extension\"");
            }

            var value = Text(ext, "tlp_2_0");
            if (value != expected)
            {
                Add(where, $"tlp_2_0 must be \"{expected}\" for this id (it is {(value is null ? "missing" : $"\"{Shorten(value)}\"")})");
            }

            var name = Text(o, "name");
            if (name != TlpMarkings.NameOf(level.Value))
            {
                Add(where, $"name must be \"{TlpMarkings.NameOf(level.Value)}\" for this id (it is {(name is null ? "missing" : $"\"{Shorten(name)}\"")})");
            }
        }

        /// <summary>Every *_ref and *_refs, at any depth (extensions, granular markings), must name an object of the bundle.</summary>
        private void References(string where, JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    References(where, item);
                }

                return;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.EndsWith("_ref", StringComparison.Ordinal))
                {
                    Reference(where, property.Name, property.Value);
                }
                else if (property.Name.EndsWith("_refs", StringComparison.Ordinal))
                {
                    if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
                    {
                        Add(where, $"{property.Name} must be a non-empty list of ids");
                        continue;
                    }

                    foreach (var item in property.Value.EnumerateArray())
                    {
                        Reference(where, property.Name, item);
                    }
                }
                else
                {
                    References(where, property.Value);
                }
            }
        }

        private void Reference(string where, string name, JsonElement value)
        {
            var id = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
            var type = id is null ? null : StixIds.TypeOf(id);
            if (type is null)
            {
                Add(where, $"{name} must hold STIX ids (\"type--UUID\")");
                return;
            }

            var expected = name switch
            {
                "created_by_ref" => "identity",
                "object_marking_refs" or "marking_ref" => "marking-definition",
                _ => null,
            };
            if (expected is not null && type != expected)
            {
                Add(where, $"{name} must reference a {expected}, not {Shorten(id!)}");
            }
            else if (!_ids.Contains(id!) && !(mode == StixValidationMode.Import && TlpMarkings.WellKnownLevel(id!) is not null))
            {
                Add(where, $"{name} references {Shorten(id!)}, which is not in the bundle");
            }
        }

        private DateTimeOffset? Time(JsonElement o, string name) =>
            Text(o, name) is { } text && StixTime.TryParse(text, millisecondsExactly: false, out var at) ? at : null;
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Present and not empty: a non-blank string, a non-empty list, any number, boolean or object.</summary>
    private static bool Present(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetString()),
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.Null or JsonValueKind.Undefined => false,
            _ => true,
        };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]\\z")]
    private static partial Regex TypePattern();
}
