namespace Cirt.EndToEnd.Tests;

/// <summary>
/// A work folder of its own holding the built server's data folder and one cirt configuration per
/// person who drives it with the console; the server is stopped and the folder removed at the end.
/// </summary>
public sealed class ConsoleWalkthrough : IDisposable
{
    private readonly string _workDirectory;

    /// <param name="folderPrefix">How the work folder under the temporary folder starts, e.g. "cirt-e2e-".</param>
    public ConsoleWalkthrough(string folderPrefix)
    {
        _workDirectory = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));
        Server = new ServerProcess(Path.Combine(_workDirectory, "data"));
    }

    /// <summary>The server, not started yet.</summary>
    public ServerProcess Server { get; }

    /// <summary>The console as <paramref name="name"/> runs it, with a configuration file of their own.</summary>
    public CirtCli Person(string name) => new(Path.Combine(_workDirectory, name, "config.json"));

    public void Dispose()
    {
        Server.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
