using System.Text.RegularExpressions;
using Cirt.Console.Tests.Partners;

namespace Cirt.Console.Tests.Incidents;

/// <summary>
/// An analyst shares an incident with a partner CIRT from the console: the message and its state,
/// the share in cirt incidents show, and TLP:RED refused. Against a real server in this process
/// (memory profile, loopback).
/// </summary>
public sealed class IncidentSharingTests : IAsyncLifetime
{
    private readonly PartnerFiles _files = new();
    private ConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync("--Cirt:Federation:InstanceId", "cirt-fr", "--Cirt:Federation:Country", "FR");
        var (exitCode, output) = await RunAsync(_files.Register("cirt-de", "--max-tlp", "amber", "--all-sectors", "--kind", "incident", "--indicators",
            "--legal-basis", "NIS2 Art. 10(7)", "--retention-days", "365"));
        Assert.True(exitCode == 0, output);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _files.Dispose();
    }

    [Fact]
    public async Task ASharedIncidentNamesItsMessageAndShowsThePartner()
    {
        var trackingId = await TriagedIncidentAsync("amber");

        var (exitCode, output) = await RunAsync("incidents", "share", trackingId, "--partner", "cirt-de");

        Assert.Equal(0, exitCode);
        Assert.Matches($"{trackingId} shared with cirt-de: message [0-9a-f-]{{36}} is (queued|delivered)", output);
        var (_, shown) = await RunAsync("incidents", "show", trackingId);
        Assert.Contains("Shared with partner CIRTs", shown);
        Assert.Contains("cirt-de", shown);
        var (_, outbox) = await RunAsync("partners", "outbox", "--partner", "cirt-de");
        Assert.Contains(trackingId, outbox);
    }

    [Fact]
    public async Task ARedIncidentNeverLeaves()
    {
        var trackingId = await TriagedIncidentAsync("red");

        var (exitCode, output) = await RunAsync("incidents", "share", trackingId, "--partner", "cirt-de");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAILED_PRECONDITION", output);
        var (_, outbox) = await RunAsync("partners", "outbox", "--partner", "cirt-de");
        Assert.DoesNotContain(trackingId, outbox);
    }

    private async Task<string> TriagedIncidentAsync(string tlp)
    {
        var (reportExit, reported) = await RunAsync("report", "--reporter", "gridco", "--title", "Ransomware on SCADA HMI",
            "--description", "Two HMI workstations show a ransom note.");
        Assert.True(reportExit == 0, reported);
        var trackingId = Regex.Match(reported, @"CIRT-\d{4}-\d{6}").Value;
        var (triageExit, triaged) = await RunAsync("incidents", "triage", trackingId, "--class", "malicious-code", "--type", "infected-system",
            "--severity", "high", "--tlp", tlp);
        Assert.True(triageExit == 0, triaged);
        return trackingId;
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);
}
