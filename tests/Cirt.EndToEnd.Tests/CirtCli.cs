using System.Diagnostics;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// Runs the `cirt` console as one person at a shell would: with a configuration file of their own
/// (what `cirt login` writes), so each person's key stays theirs.
/// </summary>
public sealed class CirtCli(string configFile)
{
    public string ConfigFile => configFile;

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
        var info = new ProcessStartInfo("dotnet", [Binaries.Console, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["CIRT_CONFIG"] = configFile;
        info.Environment.Remove("CIRT_SERVER");
        info.Environment.Remove("CIRT_API_KEY");
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
