using Google.Protobuf;
using Spectre.Console;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Newline-delimited JSON for streams (cirt inbox and cirt triage piped or with --output json, cirt
/// ingest stats --follow with --output json): each message on one line, in the same protobuf JSON mapping as
/// <see cref="JsonOutput"/> (default values written), flushed at once so that a reader sees it.
/// </summary>
public static class JsonLines
{
    public static void Write(IAnsiConsole console, IMessage message)
    {
        console.Profile.Out.Writer.WriteLine(JsonOutput.FormatLine(message));
        console.Profile.Out.Writer.Flush();
    }
}
