namespace Cirt.EndToEnd.Tests;

/// <summary>Where the built server and console are, as a newcomer's `dotnet build` leaves them.</summary>
public static class Binaries
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Server => Built("src/Cirt.Server", "Cirt.Server.dll");

    public static string Console => Built("src/Cirt.Console", "cirt.dll");

    private static string Built(string project, string file)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build Cirt.sln -c {Configuration}).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cirt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cirt.sln not found above " + AppContext.BaseDirectory);
    }
}
