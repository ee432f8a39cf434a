using System.Net;
using System.Net.Sockets;
using Cirt.Contracts.V1;
using Cirt.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Incidents;

/// <summary>
/// What an operator's report claims, as the console shows it: the stakeholders and sectors it names
/// beyond its own are proposed until an analyst confirms them with cirt incidents triage
/// (--confirm-proposed, --confirm-stakeholder, --confirm-sector); its severity and its contact are
/// labelled as the reporter's. Against a real server in this process (memory profile, loopback).
/// </summary>
public sealed class TriageProposalsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-console-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _server;
    private GrpcChannel? _channel;
    private string _url = "";
    private string _coordinator = "";
    private string _operator = "";

    public async Task InitializeAsync()
    {
        _server = CirtServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Cirt:Storage", "Memory",
            "--Cirt:DataDirectory", _directory,
            "--Cirt:SiloPort", FreePort(),
            "--Cirt:GatewayPort", FreePort(),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _server.StartAsync();
        _url = _server.Urls.Single();
        _coordinator = (await File.ReadAllTextAsync(Path.Combine(_directory, "bootstrap-coordinator.key"))).Trim();
        _channel = GrpcChannel.ForAddress(_url);
        var keys = new KeyService.KeyServiceClient(_channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + _coordinator);
            return metadata;
        }));
        _operator = (await keys.IssueKeyAsync(new IssueKeyRequest { Name = "gridco-soc", Role = Role.Operator, StakeholderId = "gridco" })).ApiKey;
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
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

    private async Task<(int ExitCode, string Output)> RunAsync(string key, params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exitCode = await CirtConsole.RunAsync([.. args, "--server", _url, "--key", key], console);
        return (exitCode, console.Output);
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
