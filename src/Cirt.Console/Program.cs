using Spectre.Console;

var console = AnsiConsole.Create(new AnsiConsoleSettings());
if (Console.IsOutputRedirected)
{
    // Piped output (scripts, logs): wide enough that tables do not wrap ids.
    console.Profile.Width = 200;
}

return await Cirt.Console.CirtConsole.RunAsync(args, console);
