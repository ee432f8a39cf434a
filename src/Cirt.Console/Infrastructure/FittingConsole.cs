using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// The console the command line writes to: <paramref name="inner"/>, except that what it is given
/// is written as <see cref="Tables.ForConsole"/> lays it out for this console (plain when piped,
/// tables fitted to a terminal's width).
/// </summary>
public sealed class FittingConsole(IAnsiConsole inner) : IAnsiConsole
{
    public Profile Profile => inner.Profile;

    public IAnsiConsoleCursor Cursor => inner.Cursor;

    public IAnsiConsoleInput Input => inner.Input;

    public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

    public RenderPipeline Pipeline => inner.Pipeline;

    public void Clear(bool home) => inner.Clear(home);

    public void WriteAnsi(Action<AnsiWriter> action) => inner.WriteAnsi(action);

    public void Write(IRenderable renderable) => inner.Write(Tables.ForConsole(renderable, this));
}
