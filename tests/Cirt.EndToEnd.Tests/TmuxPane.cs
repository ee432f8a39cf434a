using System.Diagnostics;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// A terminal of a given size that a test types into and reads, as a person at a screen would: a
/// tmux session on a server socket of its own (so it never touches anyone's tmux), running one
/// command. tmux is installed by tests/run.sh.
/// </summary>
public sealed class TmuxPane : IDisposable
{
    private readonly string _socket = "cirt-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Starts <paramref name="command"/> (run by sh) in a <paramref name="width"/>×<paramref name="height"/> terminal, with <paramref name="environment"/> set.</summary>
    public TmuxPane(int width, int height, string command, IReadOnlyDictionary<string, string> environment)
    {
        var exports = string.Join(' ', environment.Select(e => $"{e.Key}={Quote(e.Value)}"));
        // When the command ends its exit code stays on screen, and the pane stays open to read it.
        Tmux("new-session", "-d", "-s", "main", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"env TERM=xterm-256color {exports} {command}; echo \"[exited $?]\"; sleep 600");
    }

    /// <summary>What the terminal shows now, line by line.</summary>
    public string Capture() => Tmux("capture-pane", "-p", "-t", "main");

    /// <summary>Types keys: tmux key names ("Down", "Enter") or text.</summary>
    public void Send(params string[] keys) => Tmux(["send-keys", "-t", "main", .. keys]);

    /// <summary>Reads the screen until <paramref name="done"/> holds; fails with what the screen shows after <paramref name="timeout"/>.</summary>
    public string WaitFor(Func<string, bool> done, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            var screen = Capture();
            if (done(screen))
            {
                return screen;
            }

            Assert.True(clock.Elapsed < limit, $"{what} did not show within {limit.TotalSeconds} s; the screen shows:\n{screen}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Reads the screen until it shows <paramref name="text"/>.</summary>
    public string WaitFor(string text, TimeSpan? timeout = null) => WaitFor(screen => screen.Contains(text, StringComparison.Ordinal), $"'{text}'", timeout);

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private string Tmux(params string[] args)
    {
        var info = new ProcessStartInfo("tmux", ["-L", _socket, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("tmux did not start: is it installed? (tests/run.sh installs it)");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {error}");
        }

        return output;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
