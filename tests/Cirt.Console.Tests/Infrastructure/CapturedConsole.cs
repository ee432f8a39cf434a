using System.Text;
using Spectre.Console;

namespace Cirt.Console.Tests;

/// <summary>
/// A console whose output a test reads while a command still runs (a following command, a live
/// display): writes are synchronised, and it says it is a terminal or a pipe as the test chooses,
/// so both the pictures and the plain lines can be checked. No colours, so text reads as text.
/// </summary>
public sealed class CapturedConsole
{
    private readonly StringWriter _text = new();
    private readonly TextWriter _writer;

    public CapturedConsole(bool terminal, int width = 120, int height = 40)
    {
        _writer = TextWriter.Synchronized(_text);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new Output(_writer, terminal, width, height),
        });
        Console.Profile.Width = width;
        Console.Profile.Height = height;
    }

    public IAnsiConsole Console { get; }

    /// <summary>What was written so far.</summary>
    public string Text
    {
        get
        {
            lock (_writer)
            {
                return _text.ToString();
            }
        }
    }

    private sealed class Output(TextWriter writer, bool terminal, int width, int height) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => terminal;

        public int Width => width;

        public int Height => height;

        public void SetEncoding(Encoding encoding)
        {
        }
    }
}
