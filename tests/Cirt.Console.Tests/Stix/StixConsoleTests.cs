using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cirt.Console.Tests.Stix;

/// <summary>
/// STIX 2.1 bundles from the console: an advisory exported to a file and to standard output, and
/// imported back as a draft with its TLP. Against a real server in this process (memory profile, loopback).
/// </summary>
public sealed class StixConsoleTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cirt-stix-console-" + Guid.NewGuid().ToString("N"));
    private ConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _server = await ConsoleServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnExportedAdvisoryImportsBackAsADraftWithItsTlp()
    {
        var (_, created) = await RunAsync("advisories", "create", "--title", "ExampleVPN exploited", "--summary", "Patch now.", "--tlp", "green",
            "--affected-cve", "CVE-2026-12345:9.8", "--domain", "evil.example", "--sector", "ENERGY", "--action", "Upgrade to 9.5");
        var id = Regex.Match(created, @"ADV-\d{4}-\d+").Value;
        var file = Path.Combine(_folder, "bundle.json");

        var (exportExit, exported) = await RunAsync("stix", "export", "advisory", id, "--out", file);
        var (importExit, imported) = await RunAsync("stix", "import", file);

        Assert.Equal((0, 0), (exportExit, importExit));
        Assert.Contains($"to {file}", exported);
        using (var bundle = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            Assert.Equal("bundle", bundle.RootElement.GetProperty("type").GetString());
        }

        var draft = Regex.Match(imported, @"as draft advisory (ADV-\d{4}-\d+) \(TLP:GREEN\)");
        Assert.True(draft.Success, imported);
        Assert.NotEqual(id, draft.Groups[1].Value);
        var (_, shown) = await RunAsync("advisories", "show", draft.Groups[1].Value);
        Assert.Contains("ExampleVPN exploited", shown);
        Assert.Contains("CVE-2026-12345", shown);
        Assert.Contains("draft", shown);
    }

    [Fact]
    public async Task AnExportToStandardOutputIsTheBundleAlone()
    {
        var (_, created) = await RunAsync("advisories", "create", "--title", "ExampleVPN exploited", "--summary", new string('x', 600), "--tlp", "clear");
        var id = Regex.Match(created, @"ADV-\d{4}-\d+").Value;

        var (exitCode, output) = await RunAsync("stix", "export", "advisory", id);

        Assert.Equal(0, exitCode);
        using var bundle = JsonDocument.Parse(output);
        Assert.Equal("bundle", bundle.RootElement.GetProperty("type").GetString());
        Assert.Contains(new string('x', 600), output);
    }

    [Fact]
    public async Task ABundleThatBreaksARuleIsRefusedNamingIt()
    {
        var file = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(file, """{"type": "bundle", "id": "bundle--not-a-uuid", "objects": []}""");

        var (exitCode, output) = await RunAsync("stix", "import", file);

        Assert.Equal(1, exitCode);
        Assert.Contains("INVALID_ARGUMENT", output);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);
}
