using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// The README's "Five minutes with the console" as a newcomer follows it: its shell block, taken
/// from README.md at test time and run as written in bash, against a fresh built server, with only
/// the console's path and the server's port put in. Every command must succeed, each as the role
/// that runs it in the block.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly ConsoleWalkthrough _walkthrough = new("cirt-readme-");

    public void Dispose() => _walkthrough.Dispose();

    [Fact]
    public void TheFiveMinuteWalkthroughRunsAsWritten()
    {
        var server = _walkthrough.Server;
        server.Start();
        var workDirectory = Path.GetDirectoryName(server.DataDirectory)!;
        var bootstrapKey = server.BootstrapKey;

        var (exitCode, transcript) = RunBash(Script(server.Url), workDirectory);

        Assert.True(exitCode == 0, $"The README walkthrough stopped with exit code {exitCode}; its transcript:\n{transcript}");
        Assert.Contains("CIRT-2026-000001", transcript);
        Assert.Contains("closed", transcript);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "bootstrap-coordinator.key")), "the walkthrough retires the bootstrap key file");

        Assert.Matches(BootstrapRevoked(), transcript);
        Assert.Contains("4 key(s), 3 active.", transcript);

        // The bootstrap key no longer works; the coordinator's personal key, saved by her login, does.
        var cli = new CirtCli(Path.Combine(workDirectory, "readme-config.json"));
        Assert.Equal(4, cli.Run("whoami", "--key", bootstrapKey).ExitCode);
        Assert.Contains("dana", cli.Run("whoami").Succeeded().Output);
    }

    [Fact]
    public void TheBufCurlExamplesWorkAsPrinted()
    {
        var server = _walkthrough.Server;
        server.Start();
        var workDirectory = Path.GetDirectoryName(server.DataDirectory)!;
        var readme = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "README.md"));
        var examples = ShellBlocks().Matches(readme).Select(m => m.Groups[1].Value)
            .Where(block => block.StartsWith("npx @bufbuild/buf curl", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(examples);

        foreach (var example in examples)
        {
            var script = "set -euo pipefail\n" + example.Replace("http://127.0.0.1:5080", server.Url, StringComparison.Ordinal);
            var (exitCode, output) = RunBash(script, workDirectory);
            Assert.True(exitCode == 0, $"This README example failed with exit code {exitCode}:\n{example}\n{output}");
            Assert.StartsWith("{", output.TrimStart());
        }
    }

    /// <summary>The README's block, with the built console and this server's address put in.</summary>
    private static string Script(string serverUrl)
    {
        var readme = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "README.md"));
        var section = readme.IndexOf("## Five minutes with the console", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"Five minutes with the console\" section");
        var start = readme.IndexOf("```sh\n", section, StringComparison.Ordinal) + "```sh\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        var block = readme[start..end];

        var lines = block.Split('\n').Select(line => line switch
        {
            _ when line.StartsWith("dotnet build ", StringComparison.Ordinal) => "# (built by the test run) " + line,
            _ when line.StartsWith("CIRT_DLL=", StringComparison.Ordinal) => $"CIRT_DLL=\"{Binaries.Console}\"",
            _ => line.Replace("http://127.0.0.1:5080", serverUrl, StringComparison.Ordinal),
        });
        Assert.Contains(lines, line => line.StartsWith("CIRT_DLL=", StringComparison.Ordinal));
        return "set -euo pipefail\nset -x\n" + string.Join('\n', lines);
    }

    private static (int ExitCode, string Transcript) RunBash(string script, string workDirectory)
    {
        var info = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        // What a person answers when npx asks whether to fetch buf the first time.
        info.Environment["npm_config_yes"] = "true";
        info.Environment["CIRT_CONFIG"] = Path.Combine(workDirectory, "readme-config.json");
        info.Environment.Remove("CIRT_SERVER");
        info.Environment.Remove("CIRT_API_KEY");
        using var process = Process.Start(info)!;
        var transcript = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Append(transcript, e.Data);
        process.ErrorDataReceived += (_, e) => Append(transcript, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The README walkthrough did not finish within 5 minutes; so far:\n{transcript}");
        }

        process.WaitForExit();
        return (process.ExitCode, transcript.ToString());
    }

    private static void Append(System.Text.StringBuilder transcript, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (transcript)
        {
            transcript.AppendLine(line);
        }
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlocks();

    [GeneratedRegex(@"Revoked .*bootstrap", RegexOptions.IgnoreCase)]
    private static partial Regex BootstrapRevoked();
}
