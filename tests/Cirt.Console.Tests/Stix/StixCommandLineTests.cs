namespace Cirt.Console.Tests.Stix;

/// <summary>STIX export and import from the command line: what is refused before any call.</summary>
public sealed class StixCommandLineTests
{
    [Fact]
    public async Task StixHelpListsExportAndImport()
    {
        var (_, output) = await OfflineConsole.RunAsync("stix", "--help");

        Assert.Contains("export", output);
        Assert.Contains("import", output);
    }

    [Fact]
    public async Task ExportTakesAnAdvisoryOrAnIncident()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("stix", "export", "report", "ADV-2026-0001");

        Assert.Equal(2, exitCode);
        Assert.Contains("'report' is not a kind of item; use one of: advisory, incident.", output);
    }

    [Fact]
    public async Task ExportOfAnIncidentGetsAsFarAsTheServer()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("stix", "export", "incident", "CIRT-2026-000042");

        Assert.Equal(3, exitCode);
        Assert.Contains("cannot reach the Cirt server", output);
    }

    [Fact]
    public async Task ImportNamesAMissingFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cirt-no-such-bundle-" + Guid.NewGuid().ToString("N") + ".json");

        var (exitCode, output) = await OfflineConsole.RunAsync("stix", "import", missing);

        Assert.Equal(2, exitCode);
        Assert.Contains($"bundle '{missing}': no such file.", output);
    }

    [Fact]
    public async Task ImportRefusesABundleOverFourMebibytesBeforeSendingIt()
    {
        var large = Path.Combine(Path.GetTempPath(), "cirt-large-bundle-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(large, new string(' ', (4 * 1024 * 1024) + 1));
        try
        {
            var (exitCode, output) = await OfflineConsole.RunAsync("stix", "import", large);

            Assert.Equal(2, exitCode);
            Assert.Contains("is 4,194,305 bytes; at most 4,194,304 are accepted.", output);
        }
        finally
        {
            File.Delete(large);
        }
    }
}
