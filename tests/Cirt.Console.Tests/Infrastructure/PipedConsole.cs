using Cirt.Console.Infrastructure;

namespace Cirt.Console.Tests;

/// <summary>
/// The console as a script sees it: its output piped (the console Program.cs makes when standard
/// output is redirected), against a real server.
/// </summary>
public static class PipedConsole
{
    /// <summary>Runs the cirt console with <paramref name="args"/> against <paramref name="server"/> with <paramref name="key"/>, output piped.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ConsoleServer server, string key, params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await CirtConsole.RunAsync([.. args, "--server", server.Url, "--key", key], Terminal.Piped(output));
        return (exitCode, output.ToString());
    }
}
