using System.Net;
using System.Net.Sockets;
using Cirt.Console.Incidents;
using Cirt.Contracts.V1;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests;

/// <summary>The NIS2 Art. 23 commands: the stages people type, the intermediate report request, how deadlines read.</summary>
public sealed class Nis2CommandLineTests
{
    public Nis2CommandLineTests()
    {
        // Never read the configuration of whoever runs the tests.
        Environment.SetEnvironmentVariable("CIRT_CONFIG", Path.Combine(Path.GetTempPath(), "cirt-tests-no-config-" + Guid.NewGuid().ToString("N") + ".json"));
        Environment.SetEnvironmentVariable("CIRT_API_KEY", null);
        Environment.SetEnvironmentVariable("CIRT_SERVER", null);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(250);
        // Help takes no options (parsing is strict): --server only where a command runs.
        string[] server = args.Contains("--help") ? [] : ["--server", $"http://127.0.0.1:{ClosedPort()}"];
        var exitCode = await CirtConsole.RunAsync([.. args, .. server], console);
        return (exitCode, console.Output);
    }

    [Fact]
    public async Task IncidentHelpListsRequestReport()
    {
        var (_, output) = await RunAsync("incidents", "--help");

        Assert.Contains("request-report", output);
        Assert.Contains("intermediate NIS2 report", output);
    }

    // NIS2 Art. 23(4)(c): the CIRT's request needs a due time and says what it wants to know.
    [Fact]
    public async Task RequestReportNeedsADueTimeBeforeAnyCall()
    {
        var (exitCode, output) = await RunAsync("incidents", "request-report", "CIRT-2026-000001", "--reason", "status of the restoration");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --due: a span from now (48h, 2d) or a time (2026-11-26T08:00Z).", output);
    }

    [Fact]
    public async Task RequestReportNeedsAReasonBeforeAnyCall()
    {
        var (exitCode, output) = await RunAsync("incidents", "request-report", "CIRT-2026-000001", "--due", "48h");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --reason: what the CIRT wants to know.", output);
    }

    [Fact]
    public async Task RequestReportRefusesADueTimeThatIsNeitherASpanNorATime()
    {
        var (exitCode, output) = await RunAsync("incidents", "request-report", "CIRT-2026-000001", "--due", "soon", "--reason", "status");

        Assert.Equal(2, exitCode);
        Assert.Contains("'soon' is neither a span (30m, 4h, 2d) nor a time (2026-11-26T08:00Z).", output);
    }

    [Fact]
    public async Task Nis2RefusesAnUnknownStageNamingTheFive()
    {
        var (exitCode, output) = await RunAsync("incidents", "nis2", "CIRT-2026-000001", "postmortem", "All done.");

        Assert.Equal(2, exitCode);
        Assert.Contains("use one of: early-warning, notification, intermediate-report, progress-report, final-report.", output);
    }

    // NIS2 Art. 23(4)(b)
    [Fact]
    public async Task StakeholderCreateAndReportOfferTheTrustServiceFlags()
    {
        var (_, create) = await RunAsync("stakeholders", "create", "--help");
        var (_, report) = await RunAsync("report", "--help");

        Assert.Contains("--trust-service-provider", create);
        Assert.Contains("--affects-trust-services", report);
    }

    [Fact]
    public void EveryNis2DeadlineReadsAsItsStageWithItsWindow()
    {
        var console = new TestConsole().Width(250);
        Deadline[] deadlines =
        [
            new() { Kind = DeadlineKind.Nis2EarlyWarning, Basis = "24 h after becoming aware" },
            new() { Kind = DeadlineKind.Nis2Notification, Basis = "24 h after becoming aware: a trust service provider's trust services are affected (NIS2 Art. 23(4)(b))" },
            new() { Kind = DeadlineKind.Nis2IntermediateReport, Basis = "requested by the CIRT on 2026-11-20T08:00Z (NIS2 Art. 23(4)(c))" },
            new() { Kind = DeadlineKind.Nis2ProgressReport, Basis = "the final report's due time, the incident still being handled (NIS2 Art. 23(4)(e))" },
            new() { Kind = DeadlineKind.Nis2FinalReport, Basis = "one month after the incident notification" },
        ];

        console.Write(IncidentView.Deadlines(deadlines));

        foreach (var label in new[]
                 {
                     "early warning (24 h)", "incident notification (24 h, trust services)", "intermediate report (requested)",
                     "progress report (still handled)", "final report (1 month)",
                 })
        {
            Assert.Contains(label, console.Output);
        }
    }

    [Fact]
    public void AnOrdinaryNotificationKeepsItsSeventyTwoHours()
    {
        Assert.Equal("incident notification (72 h)", IncidentView.Stage(new Deadline { Kind = DeadlineKind.Nis2Notification, Basis = "72 h after becoming aware" }));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
