namespace Cirt.Console.Infrastructure;

/// <summary>
/// What the user pipes into the console, for commands that read a secret from it rather than from
/// the command line (which shells keep in their history). Tests give their own reader.
/// </summary>
public sealed class StandardInput(TextReader reader)
{
    public TextReader Reader { get; } = reader;
}
