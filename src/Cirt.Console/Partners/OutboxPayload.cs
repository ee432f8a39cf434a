using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cirt.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cirt.Console.Partners;

/// <summary>
/// Reads an outbox message's payload (the FederatedPayload's JSON) for people: indented, and the
/// text of one field by the path a personal-data finding names ("summary",
/// "recommended_actions[2]", "timeline[4].text").
/// </summary>
public static partial class OutboxPayload
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The payload indented for reading; as it came when it is not JSON.</summary>
    public static string Indented(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>The payload, or null when it is not a FederatedPayload's JSON.</summary>
    public static FederatedPayload? Parse(string json)
    {
        try
        {
            return Parser.Parse<FederatedPayload>(json);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        catch (InvalidJsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The text at <paramref name="path"/> in the payload's item (the advisory, incident or note it
    /// carries), or from the payload itself; null when the path leads to no text.
    /// </summary>
    public static string? Field(FederatedPayload payload, string path)
    {
        var item = FederatedPayload.Descriptor.Oneofs.FirstOrDefault(o => o.Name == "item")?.Accessor.GetCaseFieldDescriptor(payload)?.Accessor.GetValue(payload) as IMessage;
        return (item is null ? null : Follow(item, path)) ?? Follow(payload, path);
    }

    /// <summary>
    /// Up to <paramref name="around"/> characters either side of <paramref name="offset"/> in
    /// <paramref name="text"/>, marked with "…" where cut; the whole text when it is short.
    /// </summary>
    public static string Excerpt(string text, int offset, int length, int around = 50)
    {
        if (text.Length <= (2 * around) + length)
        {
            return text;
        }

        var start = Math.Clamp(offset - around, 0, text.Length);
        var end = Math.Clamp(offset + length + around, start, text.Length);
        return (start > 0 ? "…" : "") + text[start..end] + (end < text.Length ? "…" : "");
    }

    private static string? Follow(IMessage message, string path)
    {
        object? current = message;
        foreach (var segment in path.Split('.'))
        {
            var step = Segment().Match(segment);
            if (!step.Success || current is not IMessage at)
            {
                return null;
            }

            var name = step.Groups["name"].Value;
            var field = at.Descriptor.FindFieldByName(name) ?? at.Descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);
            if (field is null)
            {
                return null;
            }

            current = field.Accessor.GetValue(at);
            if (step.Groups["index"].Success)
            {
                if (current is not IList list || !int.TryParse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture, out var index) || index >= list.Count)
                {
                    return null;
                }

                current = list[index];
            }
            else if (field.IsRepeated)
            {
                return null;
            }
        }

        return current as string;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)(\[(?<index>\d+)\])?$")]
    private static partial Regex Segment();
}
