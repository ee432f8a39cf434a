using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// What the console prints, and the exit code it returns, for an exception no command handled:
/// the command line's own errors (an unknown option, a value of the wrong type, a missing argument,
/// a failed validation) are usage errors, exit code 2; anything else is a failure, exit code 1.
/// </summary>
public static partial class CommandErrors
{
    /// <summary>Exit code of a command line that cannot be run as typed.</summary>
    public const int Usage = 2;

    /// <summary>Exit code of anything else that went wrong.</summary>
    public const int Failed = 1;

    public static int Report(IAnsiConsole console, Exception exception)
    {
        switch (exception)
        {
            case CommandParseException { Pretty: { } pretty }:
                // Spectre's own rendering points at the offending word of the command line.
                console.Write(pretty);
                console.MarkupLine("See [bold]cirt <command> --help[/] for the options each command takes.");
                return Usage;
            case CommandAppException or UsageException:
                console.MarkupLineInterpolated($"[red]error:[/] {Readable(exception.Message)}");
                return Usage;
            default:
                console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
                return Failed;
        }
    }

    /// <summary>
    /// Spectre's "Failed to convert 'x' to Int32." as people read it: "'x' is not a number.". Every
    /// option of a value type the console has is a number (--page-size, --timeout, --expected-version).
    /// </summary>
    private static string Readable(string message)
    {
        var match = FailedConversion().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var expected = match.Groups["type"].Value switch
        {
            "Boolean" => "true or false",
            "TimeSpan" => "a span of time (e.g. 00:30:00)",
            _ => "a number",
        };
        return $"'{match.Groups["value"].Value}' is not {expected}.";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>[A-Za-z0-9`]+)\.?$")]
    private static partial System.Text.RegularExpressions.Regex FailedConversion();
}
