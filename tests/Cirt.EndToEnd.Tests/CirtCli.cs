using System.Diagnostics;

namespace Cirt.EndToEnd.Tests;

/// <summary>Runs the `cirt` console against a server, as a user at a shell would.</summary>
public sealed class CirtCli(string serverUrl, string user)
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result Succeeded()
        {
            Assert.True(ExitCode == 0, $"cirt exited with {ExitCode}:\n{Output}");
            return this;
        }
    }

    public Result Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Binaries.Console, .. args, "--server", serverUrl, "--user", user])
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
            throw new TimeoutException($"cirt {string.Join(' ', args)} did not finish within 60 s");
        }

        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }
}
