using Spectre.Console;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Whether a command draws pictures (charts, bars, live displays, progress) or writes plain text:
/// pictures only for a person at a terminal; piped or redirected output gets plain lines that
/// tools can read, with no colours and no padding to the width.
/// </summary>
public static class Pictures
{
    public static bool For(IAnsiConsole console) => console.Profile.Out.IsTerminal;

    /// <summary>The colour a severity is drawn in, the same everywhere (rows, bars, legends).</summary>
    public static Color Of(Contracts.V1.Severity severity) => severity switch
    {
        Contracts.V1.Severity.Critical => Color.Red1,
        Contracts.V1.Severity.High => Color.DarkOrange,
        Contracts.V1.Severity.Medium => Color.Yellow,
        Contracts.V1.Severity.Low => Color.Green,
        _ => Color.Grey,
    };

    /// <summary>How people read a severity in counts: "unassessed" for one not triaged yet.</summary>
    public static string Word(Contracts.V1.Severity severity) =>
        severity == Contracts.V1.Severity.Unspecified ? "unassessed" : Words.Of(severity);
}
