using Google.Protobuf;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// The JSON the console prints with --output json: the protobuf JSON mapping of the response
/// (lowerCamelCase field names, enum values by their proto names, timestamps in RFC 3339 UTC),
/// with default values written so that a script finds every field, and indented for people who read it.
/// </summary>
public static class JsonOutput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    // The same mapping on one line: a stream's messages, one document per line (NDJSON).
    private static readonly JsonFormatter LineFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Format(IMessage message) => Formatter.Format(message);

    /// <summary><paramref name="message"/> as one JSON document on a single line, for newline-delimited JSON.</summary>
    public static string FormatLine(IMessage message) => LineFormatter.Format(message);
}
