using Spectre.Console;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// The console the command line writes to, decided once: on a terminal, its width (80 when it
/// reports none), colours and drawn tables; piped (scripts, files, logs), plain text: no colour, no
/// box drawing (plain columns), no padding to a width, lines as long as their content.
/// </summary>
public static class Terminal
{
    /// <summary>The width used when a terminal reports none (zero) or one too narrow for any table.</summary>
    public const int FallbackWidth = 80;

    /// <summary>Narrower than this, a terminal's width is not believed (tables would vanish).</summary>
    public const int NarrowestWidth = 20;

    /// <summary>
    /// The width piped output is laid out in: wide enough that nothing wraps, so each line is as
    /// long as its content (nothing pads to it: tables are not expanded and padding is trimmed).
    /// </summary>
    public const int PipedWidth = 4096;

    /// <summary>The console for this process: piped when standard output is redirected.</summary>
    public static IAnsiConsole ForThisProcess() =>
        System.Console.IsOutputRedirected ? Piped(System.Console.Out) : Interactive();

    /// <summary>A terminal's console, at its width (or <see cref="FallbackWidth"/> when it reports none).</summary>
    public static IAnsiConsole Interactive() => FitWidth(AnsiConsole.Create(new AnsiConsoleSettings()));

    /// <summary>
    /// <paramref name="console"/>, laid out at <see cref="FallbackWidth"/> when its width is unknown,
    /// zero or too narrow for a table (which would otherwise print nothing).
    /// </summary>
    public static IAnsiConsole FitWidth(IAnsiConsole console)
    {
        if (console.Profile.Width < NarrowestWidth)
        {
            console.Profile.Width = FallbackWidth;
        }

        return new FittingConsole(console);
    }

    /// <summary>Plain output to <paramref name="output"/>: what the console writes when it is piped.</summary>
    public static IAnsiConsole Piped(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(new TrimmingWriter(output)),
        });
        console.Profile.Width = PipedWidth;
        // No Unicode: tables, boxes and headings print plainly (see Tables).
        console.Profile.Capabilities.Unicode = false;
        return new FittingConsole(console);
    }
}
