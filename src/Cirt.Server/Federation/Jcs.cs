using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cirt.Server.Federation;

/// <summary>
/// The JSON Canonicalization Scheme of RFC 8785: one byte sequence for every JSON text that means
/// the same data, so that a signature made over it survives re-serialisation by another tool.
/// Input must be I-JSON (RFC 7493): no duplicate member names, strings of Unicode scalar values
/// (no lone surrogates), numbers that are finite IEEE-754 doubles. Anything else is refused with a
/// <see cref="FormatException"/>, never canonicalised into something the sender did not mean.
/// </summary>
public static class Jcs
{
    /// <summary>How deep arrays and objects may nest before the input is refused.</summary>
    public const int MaxDepth = 128;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The canonical form of <paramref name="json"/>, UTF-8 encoded: what gets hashed and signed.</summary>
    /// <exception cref="FormatException">The text is not JSON, or not I-JSON.</exception>
    public static byte[] Canonicalize(string json) => StrictUtf8.GetBytes(CanonicalString(json));

    /// <summary>The canonical form of <paramref name="json"/> as a string.</summary>
    /// <exception cref="FormatException">The text is not JSON, or not I-JSON.</exception>
    public static string CanonicalString(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException e)
        {
            throw new FormatException("The JSON text holds a lone surrogate, which is not Unicode.", e);
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });
        var output = new StringBuilder(json.Length);
        try
        {
            if (!reader.Read())
            {
                throw new FormatException("The JSON text is empty.");
            }

            WriteValue(ref reader, output);
            if (reader.Read())
            {
                throw new FormatException("The JSON text goes on after its value.");
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader refuses to unescape "\ud800" on its own: a lone surrogate.
            throw new FormatException($"Not I-JSON: {e.Message}", e);
        }

        return output.ToString();
    }

    /// <summary>
    /// A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3):
    /// the shortest digits that read back as the same double, in fixed notation for
    /// 1e-7 &lt;= |x| &lt; 1e21 and in exponent notation otherwise; minus zero is "0".
    /// </summary>
    /// <exception cref="FormatException">NaN or an infinity, which JSON cannot carry.</exception>
    public static string SerializeNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new FormatException($"{value.ToString(CultureInfo.InvariantCulture)} is not a finite IEEE-754 double.");
        }

        if (value == 0)
        {
            return "0";
        }

        var (digits, pointAt) = ShortestDigits(Math.Abs(value));
        var text = new StringBuilder(32);
        if (value < 0)
        {
            text.Append('-');
        }

        // value = 0.d1d2...dk × 10^pointAt, with k = digits.Length (ECMA-262 Number::toString, its n).
        var k = digits.Length;
        var n = pointAt;
        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            text.Append(digits[0]);
            if (k > 1)
            {
                text.Append('.').Append(digits, 1, k - 1);
            }

            var exponent = n - 1;
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// The shortest decimal digits that round-trip to <paramref name="positive"/> (the runtime's "R"
    /// format gives them, closest to the value when several are as short), without leading or
    /// trailing zeros, and where the decimal point sits before them.
    /// </summary>
    private static (string Digits, int PointAt) ShortestDigits(double positive)
    {
        var roundTrip = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var integerPart = dot < 0 ? mantissa : mantissa[..dot];
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = integerPart + fraction;
        var pointAt = integerPart.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0'), pointAt - leadingZeros);
    }

    private static void WriteValue(ref Utf8JsonReader reader, StringBuilder output)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                WriteObject(ref reader, output);
                break;
            case JsonTokenType.StartArray:
                WriteArray(ref reader, output);
                break;
            case JsonTokenType.String:
                WriteString(reader.GetString()!, output);
                break;
            case JsonTokenType.Number:
                output.Append(SerializeNumber(ParseNumber(ref reader)));
                break;
            case JsonTokenType.True:
                output.Append("true");
                break;
            case JsonTokenType.False:
                output.Append("false");
                break;
            case JsonTokenType.Null:
                output.Append("null");
                break;
            default:
                throw new FormatException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static double ParseNumber(ref Utf8JsonReader reader)
    {
        var literal = Encoding.ASCII.GetString(reader.ValueSpan);
        var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw new FormatException($"The number {literal} is not a finite IEEE-754 double.");
        }

        return value;
    }

    private static void WriteArray(ref Utf8JsonReader reader, StringBuilder output)
    {
        output.Append('[');
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first)
            {
                output.Append(',');
            }

            WriteValue(ref reader, output);
            first = false;
        }

        output.Append(']');
    }

    private static void WriteObject(ref Utf8JsonReader reader, StringBuilder output)
    {
        var members = new List<KeyValuePair<string, string>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            if (!names.Add(name))
            {
                throw new FormatException($"The member name \"{name}\" appears twice in one object.");
            }

            reader.Read();
            var value = new StringBuilder();
            WriteValue(ref reader, value);
            members.Add(new(name, value.ToString()));
        }

        // RFC 8785 section 3.2.3: sorted by the names' UTF-16 code units, compared as unsigned integers.
        members.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        output.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            WriteString(members[i].Key, output);
            output.Append(':').Append(members[i].Value);
        }

        output.Append('}');
    }

    /// <summary>RFC 8785 section 3.2.2.2: only what JSON requires is escaped, with the short forms where JSON has them.</summary>
    private static void WriteString(string value, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case < ' ':
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        output.Append('"');
    }
}
