using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cirt.Server.IntelMq;

/// <summary>
/// Reads the body of a request to the IntelMQ endpoint into events, as IntelMQ's outputs write
/// them: one JSON object (the REST API output, one event per request), a JSON array of them, or
/// newline-delimited JSON (the file output, one event per line; blank lines skipped). Each event
/// is flattened to IntelMQ's dotted keys: a hierarchical event ({"source": {"ip": …}}) reads as
/// the flat one ({"source.ip": …}), and so does any object, in extra too ({"extra.a": {"b": 1}} is
/// "extra.a.b"), since IntelMQ's hierarchical output splits every key at its dots and the two
/// forms must read alike. "extra" written as a JSON string (IntelMQ's jsondict_as_string) is read
/// as the object it holds. Arrays stay whole. A key given null is absent.
/// </summary>
public static class IntelMqBody
{
    private const string ExtraPrefix = "extra.";
    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 16 };
    // Values kept as text for people and programs, not for an HTML page: quotes and letters stay as they are.
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The events of <paramref name="body"/>, or the first problem with it.</summary>
    public static (List<IntelMqEvent>? Events, IntelMqViolation? Problem) Read(ReadOnlyMemory<byte> body, bool newlineDelimited, int maxEvents)
    {
        if (body.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
        }

        var events = new List<IntelMqEvent>();
        if (newlineDelimited)
        {
            var line = 0;
            var rest = body;
            while (rest.Length > 0)
            {
                line++;
                var end = rest.Span.IndexOf((byte)'\n');
                var text = end < 0 ? rest : rest[..end];
                rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                if (text.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    continue;
                }

                if (events.Count == maxEvents)
                {
                    return (null, TooMany(maxEvents));
                }

                var (parsed, problem) = ParseEvent(text, events.Count, line);
                if (problem is not null)
                {
                    return (null, problem);
                }

                events.Add(parsed!);
            }
        }
        else
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body, Parsing);
            }
            catch (JsonException ex)
            {
                return (null, new IntelMqViolation(null, "", $"the body is not JSON: {ex.Message}"));
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    var (parsed, problem) = FromObject(root, 0, 0);
                    return problem is null ? ([parsed!], null) : (null, problem);
                }

                if (root.ValueKind != JsonValueKind.Array)
                {
                    return (null, new IntelMqViolation(null, "", $"the body is a JSON {Describe(root.ValueKind)}: send one event (an object), an array of events, or newline-delimited JSON (application/x-ndjson)"));
                }

                foreach (var element in root.EnumerateArray())
                {
                    if (events.Count == maxEvents)
                    {
                        return (null, TooMany(maxEvents));
                    }

                    if (element.ValueKind != JsonValueKind.Object)
                    {
                        return (null, new IntelMqViolation(events.Count, "", $"is a JSON {Describe(element.ValueKind)}; an event is an object"));
                    }

                    var (parsed, problem) = FromObject(element, events.Count, 0);
                    if (problem is not null)
                    {
                        return (null, problem);
                    }

                    events.Add(parsed!);
                }
            }
        }

        return events.Count == 0 ? (null, new IntelMqViolation(null, "", "the body holds no event")) : (events, null);
    }

    private static (IntelMqEvent?, IntelMqViolation?) ParseEvent(ReadOnlyMemory<byte> text, int index, int line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Parsing);
        }
        catch (JsonException ex)
        {
            return (null, new IntelMqViolation(index, "", $"line {line} is not JSON: {ex.Message}"));
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? FromObject(document.RootElement, index, line)
                : (null, new IntelMqViolation(index, "", $"line {line} is a JSON {Describe(document.RootElement.ValueKind)}; an event is an object"));
        }
    }

    private static (IntelMqEvent?, IntelMqViolation?) FromObject(JsonElement element, int index, int line)
    {
        var fields = new SortedDictionary<string, IntelMqValue>(StringComparer.Ordinal);
        var problem = Flatten(element, "", fields, index);
        return problem is null ? (new IntelMqEvent(index, line, fields), null) : (null, problem);
    }

    private static IntelMqViolation? Flatten(JsonElement element, string prefix, SortedDictionary<string, IntelMqValue> fields, int index)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix + property.Name;
            var value = property.Value;
            if (key == "extra" && value.ValueKind == JsonValueKind.String)
            {
                // IntelMQ's jsondict_as_string: extra as the JSON text of its object.
                try
                {
                    using var extra = JsonDocument.Parse(value.GetString()!, Parsing);
                    if (extra.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return new IntelMqViolation(index, key, "written as a string, must hold a JSON object");
                    }

                    if (Flatten(extra.RootElement, ExtraPrefix, fields, index) is { } inner)
                    {
                        return inner;
                    }
                }
                catch (JsonException)
                {
                    return new IntelMqViolation(index, key, "written as a string, must hold a JSON object");
                }

                continue;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                if (Flatten(value, key + ".", fields, index) is { } inner)
                {
                    return inner;
                }

                continue;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : Compact(value);
            if (!fields.TryAdd(key, new IntelMqValue(value.ValueKind, text)))
            {
                return new IntelMqViolation(index, Cirt.Grains.Common.Echo.Of(key), "is given twice (flat and nested, or repeated)");
            }
        }

        return null;
    }

    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IntelMqViolation TooMany(int maxEvents) =>
        new(null, "", $"the body holds more than {maxEvents} events; send at most {maxEvents} per request");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };
}
