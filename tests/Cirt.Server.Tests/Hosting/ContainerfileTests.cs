namespace Cirt.Server.Tests.Hosting;

/// <summary>
/// deploy/container/Containerfile, read instruction by instruction (no container tool runs on this
/// machine: podman is absent and docker has no daemon): two stages, the published server, an
/// unprivileged user, nothing secret, and every file it copies exists in the repository.
/// </summary>
public sealed class ContainerfileTests
{
    private static readonly IReadOnlyList<(string Instruction, string Arguments)> Instructions = Read();

    [Fact]
    public void TheImageBuildsInTheSdkAndRunsOnTheAspNetRuntime()
    {
        var stages = Instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToArray();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0 AS build", "mcr.microsoft.com/dotnet/aspnet:10.0"], stages);
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish src/Cirt.Server/Cirt.Server.csproj -c Release -o /out", StringComparison.Ordinal));
        Assert.Contains(("COPY", "--from=build /out /opt/cirt"), Instructions);
        Assert.Equal("[\"dotnet\", \"/opt/cirt/Cirt.Server.dll\"]", Instructions.Single(i => i.Instruction == "ENTRYPOINT").Arguments);
        Assert.Equal("Cirt.Server.dll", Path.GetFileName(typeof(CirtServer).Assembly.Location));
    }

    [Fact]
    public void TheServerRunsAsTheImagesUnprivilegedUser()
    {
        var users = Instructions.Where(i => i.Instruction == "USER").Select(i => i.Arguments).ToArray();

        // $APP_UID: the non-root user Microsoft's .NET images define; the last USER is the one that runs.
        Assert.Equal("$APP_UID", Assert.Single(users));
        var lastFrom = Instructions.ToList().FindLastIndex(i => i.Instruction == "FROM");
        Assert.True(Instructions.ToList().FindIndex(i => i.Instruction == "USER") > lastFrom);
    }

    [Fact]
    public void EveryCopiedFileExistsAndNoSecretIsBakedIn()
    {
        foreach (var (_, arguments) in Instructions.Where(i => i.Instruction == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)))
        {
            var sources = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1];
            Assert.All(sources, source => Assert.True(
                File.Exists(Path.Combine(DeployFiles.RepositoryRoot, source)) || Directory.Exists(Path.Combine(DeployFiles.RepositoryRoot, source)),
                $"COPY {source}: not in the repository"));
        }

        Assert.DoesNotContain(Instructions, i => i.Instruction is "ARG" or "ENV"
                                                 && (i.Arguments.Contains("ConnectionStrings", StringComparison.OrdinalIgnoreCase)
                                                     || i.Arguments.Contains("BootstrapKey", StringComparison.OrdinalIgnoreCase)
                                                     || i.Arguments.Contains("Password", StringComparison.OrdinalIgnoreCase)));
        // Nothing from a developer's data folder or key files: the build copies named folders, never the whole tree.
        Assert.DoesNotContain(Instructions, i => i.Instruction is "COPY" or "ADD" && i.Arguments.StartsWith(". ", StringComparison.Ordinal));
        Assert.DoesNotContain(Instructions, i => i.Instruction == "ADD");
    }

    [Fact]
    public void TheBuildContextLeavesOutBuildOutputsDataAndKeys()
    {
        var ignored = File.ReadAllLines(Path.Combine(DeployFiles.RepositoryRoot, ".dockerignore"))
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { ".git", "**/bin", "**/obj", "**/data", "**/*.key", "**/*.db" }, ignored);
    }

    /// <summary>The instructions in order, continuation lines joined, comments dropped.</summary>
    private static List<(string, string)> Read()
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(DeployFiles.Path("container", "Containerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }

            var whole = pending + line;
            pending = "";
            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }

        return instructions;
    }
}
