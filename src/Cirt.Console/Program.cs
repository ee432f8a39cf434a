using Cirt.Console.Infrastructure;

// On a terminal: its width, colours, drawn tables. Piped: plain text (see Terminal).
return await Cirt.Console.CirtConsole.RunAsync(args, Terminal.ForThisProcess());
