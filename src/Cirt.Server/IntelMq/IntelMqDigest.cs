using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cirt.Server.IntelMq;

/// <summary>
/// An IntelMQ event's resend id when its producer names none: "sha256:" and the SHA-256, in lower-case
/// hex, of its canonical form. The canonical form is one JSON object of the event's flattened keys
/// (<see cref="IntelMqEvent.Fields"/>, so a flat and a hierarchical copy agree) in ordinal order,
/// strings as JSON strings and every other value as its compact JSON, written without insignificant
/// white space; "__type" (a flag of IntelMQ's export, not part of the event) is left out. The same
/// event sent again, by a retry of the same request or in another batch, has the same id.
/// </summary>
public static class IntelMqDigest
{
    public const string Prefix = "sha256:";

    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(IntelMqEvent e) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Canonical(e)));

    /// <summary>The canonical form's UTF-8 bytes.</summary>
    public static byte[] Canonical(IntelMqEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writing))
        {
            json.WriteStartObject();
            foreach (var (key, value) in e.Fields)
            {
                if (key == IntelMqMapping.TypeFlag)
                {
                    continue;
                }

                json.WritePropertyName(key);
                if (value.IsString)
                {
                    json.WriteStringValue(value.Text);
                }
                else
                {
                    json.WriteRawValue(value.Text, skipInputValidation: true);
                }
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
