using Cirt.Contracts.V1;

namespace Cirt.Console.Tests.Incidents;

/// <summary>
/// What an operator's report claims, as the console shows it: the stakeholders and sectors it names
/// beyond its own are proposed until an analyst confirms them with cirt incidents triage
/// (--confirm-proposed, --confirm-stakeholder, --confirm-sector); its severity and its contact are
/// labelled as the reporter's. Against a real server in this process (memory profile, loopback).
/// </summary>
public sealed class TriageProposalsTests : IAsyncLifetime
{
    private ConsoleServer _server = null!;
    private string _coordinator = "";
    private string _operator = "";

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync();
        _coordinator = _server.CoordinatorKey;
        var keys = new KeyService.KeyServiceClient(_server.Invoker(_coordinator));
        _operator = (await keys.IssueKeyAsync(new IssueKeyRequest { Name = "gridco-soc", Role = Role.Operator, StakeholderId = "gridco" })).ApiKey;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnOperatorsClaimsShowAsClaimsUntilTheAnalystConfirmsWhatItChooses()
    {
        var (reportExit, reported) = await RunAsync(_operator, "report", "--reporter", "gridco", "--title", "Payment systems attacked",
            "--description", "Disconnect all payment systems now", "--severity", "critical", "--affected", "firstbank", "--affected", "city-hospital",
            "--sector", "BANKING", "--contact-name", "National CIRT duty officer");
        Assert.Equal(0, reportExit);
        Assert.Contains("Proposed for the CIRT to confirm at triage (not affected until then): firstbank, city-hospital, BANKING.", reported);
        var trackingId = System.Text.RegularExpressions.Regex.Match(reported, @"CIRT-\d{4}-\d{6}").Value;

        var (_, shown) = await RunAsync(_coordinator, "incidents", "show", trackingId);
        Assert.Contains("Reporter contact (as given by the reporter)", shown);
        Assert.Contains("National CIRT duty officer", shown);
        Assert.Contains("not assessed yet (set at triage); the reporter claims critical", shown);
        Assert.Contains("Proposed by the reporter", shown);
        Assert.Contains("affected firstbank, city-hospital; sectors BANKING", shown);
        var (_, queue) = await RunAsync(_coordinator, "incidents", "list", "--status", "reported");
        Assert.Contains("critical (claimed)", queue);

        var (triageExit, _) = await RunAsync(_coordinator, "incidents", "triage", trackingId, "--class", "fraud", "--type", "masquerade",
            "--severity", "high", "--confirm-stakeholder", "firstbank", "--confirm-sector", "BANKING");
        Assert.Equal(0, triageExit);

        var (_, triaged) = await RunAsync(_coordinator, "incidents", "show", trackingId);
        Assert.Contains("gridco, firstbank", triaged);
        Assert.Contains("(the reporter said critical)", triaged);
        Assert.DoesNotContain("not affected until confirmed at triage", triaged);
        Assert.Contains("confirmed firstbank, declined city-hospital", triaged);
    }

    [Fact]
    public async Task ConfirmingEverythingAndNamingWhatToConfirmAreNotGivenTogether()
    {
        var (exitCode, output) = await RunAsync(_coordinator, "incidents", "triage", "CIRT-2026-000001", "--class", "fraud", "--type", "masquerade",
            "--severity", "high", "--confirm-proposed", "--confirm-sector", "BANKING");

        Assert.Equal(2, exitCode);
        Assert.Contains("--confirm-proposed confirms everything proposed", output);
    }

    private Task<(int ExitCode, string Output)> RunAsync(string key, params string[] args) => _server.RunAsync(key, args);
}
