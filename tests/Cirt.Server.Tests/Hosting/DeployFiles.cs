namespace Cirt.Server.Tests.Hosting;

/// <summary>The deployment files in the repository (deploy/), found from the test's binary folder upwards.</summary>
public static class DeployFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([RepositoryRoot, "deploy", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cirt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cirt.sln not found above " + AppContext.BaseDirectory);
    }
}
