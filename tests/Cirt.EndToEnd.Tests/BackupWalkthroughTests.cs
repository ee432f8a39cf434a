using System.Diagnostics;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// Backup and restore as an operations team runs them: `cirt admin backup` against the running
/// server, the server killed, `Cirt.Server restore` into a new data folder (and refused over one in
/// use), and the server started again on the restored folder with the keys it had.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupWalkthroughTests : IDisposable
{
    private readonly ConsoleWalkthrough _walkthrough = new("cirt-e2e-backup-");

    public void Dispose() => _walkthrough.Dispose();

    [Fact]
    public void ACoordinatorBacksUpTheRunningServerAndTheBackupRestoresIntoANewDataFolder()
    {
        var original = _walkthrough.Server;
        original.Start();
        var carol = _walkthrough.Person("carol");
        carol.Run("login", "--server", original.Url, "--key", original.BootstrapKey).Succeeded();
        carol.Run("keys", "issue", "--name", "gridco-soc", "--role", "operator", "--stakeholder", "gridco").Succeeded();

        var backup = carol.Run("admin", "backup", "--to", "nightly").Succeeded();
        var refused = carol.Run("admin", "backup", "--to", "../elsewhere");
        original.Kill();

        Assert.Contains("nightly", backup.Output);
        Assert.Contains("federation-signing-key.pem", backup.Output);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("name", refused.Output);
        var folder = Path.Combine(original.DataDirectory, "backups", "nightly");
        Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.False(Directory.Exists(Path.Combine(original.DataDirectory, "elsewhere")));

        var target = Path.Combine(Path.GetDirectoryName(original.DataDirectory)!, "restored");
        var (restoredExit, restoredOutput) = Restore("--from", folder, "--data", target);
        Assert.True(restoredExit == 0, restoredOutput);
        Assert.Contains($"--Cirt:DataDirectory {target}", restoredOutput);

        var (againExit, againOutput) = Restore("--from", folder, "--data", target);
        Assert.Equal(2, againExit);
        var line = Assert.Single(againOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"cirt: restore: the data folder {target} is not empty", line, StringComparison.Ordinal);

        using var restored = new ServerProcess(target);
        restored.Start();
        var carolAgain = _walkthrough.Person("carol-restored");
        carolAgain.Run("login", "--server", restored.Url, "--key", restored.BootstrapKey).Succeeded();
        Assert.Contains("gridco-soc", carolAgain.Run("keys", "list").Succeeded().Output);
    }

    /// <summary>Runs `dotnet Cirt.Server.dll restore …` and returns its exit code and everything it wrote.</summary>
    private static (int ExitCode, string Output) Restore(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Binaries.Server, "restore", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("restore did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
