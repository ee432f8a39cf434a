using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// docs/http-api.md as a script writer follows it: its curl blocks, taken from the file at test
/// time and run in bash (curl and jq) against a fresh built server, with only the HTTP endpoint's
/// port put in and the inbox stream, which runs until Ctrl-C, cut after a few seconds.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class HttpApiWalkthroughTests : IDisposable
{
    private const string DocumentedUrl = "http://127.0.0.1:5081";
    private const string StreamLine = "curl -s -N -H \"$OPERATOR\" $CIRT/v1/inbox";

    private readonly ConsoleWalkthrough _walkthrough = new("cirt-http-api-");

    public void Dispose() => _walkthrough.Dispose();

    [Fact]
    public void TheCurlExamplesRunAsPrinted()
    {
        var server = _walkthrough.Server;
        server.Start();
        var workDirectory = Path.GetDirectoryName(server.DataDirectory)!;

        var (exitCode, transcript) = RunBash(Script(server.HttpUrl), workDirectory);

        Assert.True(exitCode == 0, $"The docs/http-api.md examples stopped with exit code {exitCode}; transcript:\n{transcript}");
        Assert.Contains("\"trackingId\": \"CIRT-2026-000001\"", transcript);
        Assert.Contains("\"status\": \"INCIDENT_STATUS_TRIAGED\"", transcript);
        Assert.Contains("{\"ack\":{\"batchId\":\"b-0001\",\"acceptedCount\":2,\"rejected\":[]}}", transcript);
        Assert.Contains("{\"feed\":\"honeypot-1\",\"stored\":\"2\"}", transcript);
        Assert.Contains("INBOX_ITEM_KIND_LIVE", transcript);
        // The error examples, as the document prints them.
        Assert.Contains("\"status\":\"INVALID_ARGUMENT\"", transcript);
        Assert.Contains("HTTP/1.1 401 Unauthorized", transcript);
        Assert.Contains("\"status\":\"PERMISSION_DENIED\"", transcript);
        Assert.Contains("\"status\":\"NOT_FOUND\"", transcript);
    }

    /// <summary>Every sh block of the document in order, with this server's HTTP endpoint put in.</summary>
    private static string Script(string httpUrl)
    {
        var document = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "docs", "http-api.md"));
        var blocks = ShellBlocks().Matches(document).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 3, "docs/http-api.md lost its curl examples");
        var script = string.Join('\n', blocks);
        Assert.Contains(StreamLine, script);
        script = script.Replace(StreamLine, $"timeout 5 {StreamLine} || [ $? -eq 124 ]", StringComparison.Ordinal)
            .Replace(DocumentedUrl, httpUrl, StringComparison.Ordinal);
        return "set -euo pipefail\n" + script;
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
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The docs/http-api.md examples did not finish within 2 minutes.");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlocks();
}
