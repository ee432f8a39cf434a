using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// NIS2 Art. 23(4)(b) and (c) as people drive them with the cirt console against the built server:
/// a coordinator registers a trust service provider, which reports an incident affecting its trust
/// services (notification within 24 h); an analyst requests an intermediate report, which the
/// provider sends.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class Nis2ConsoleTests : IDisposable
{
    private readonly ConsoleWalkthrough _walkthrough = new("cirt-e2e-nis2-");
    private readonly ServerProcess _server;
    private readonly CirtCli _coordinator;
    private readonly CirtCli _provider;
    private readonly CirtCli _analyst;

    public Nis2ConsoleTests()
    {
        _server = _walkthrough.Server;
        _coordinator = _walkthrough.Person("carol");
        _provider = _walkthrough.Person("sealtrust-soc");
        _analyst = _walkthrough.Person("alice");
    }

    public void Dispose() => _walkthrough.Dispose();

    [Fact]
    public void ATrustServiceProviderNotifiesWithin24HoursAndAnswersTheIntermediateReportTheCirtRequests()
    {
        _server.Start();
        _coordinator.Run("login", "--server", _server.Url, "--key", _server.BootstrapKey).Succeeded();
        _coordinator.Run("stakeholders", "create", "sealtrust", "--name", "SealTrust", "--type", "digital-provider", "--country", "LU",
            "--sector", "DIGITAL_INFRASTRUCTURE", "--nis2", "essential", "--trust-service-provider").Succeeded();
        Assert.Contains("yes: notifies within 24 h", _coordinator.Run("stakeholders", "show", "sealtrust").Succeeded().Output);
        LogIn(_provider, "--name", "sealtrust-soc", "--role", "operator", "--stakeholder", "sealtrust");
        LogIn(_analyst, "--name", "alice", "--role", "analyst");

        var report = _provider.Run("report", "--reporter", "sealtrust", "--title", "Qualified seal keys exposed",
            "--description", "An HSM backup left the vault", "--significant", "--affects-trust-services").Succeeded().Output;
        var trackingId = TrackingId().Match(report).Value;
        Assert.Contains("incident notification (24 h, trust services)", report);

        var requested = _analyst.Run("incidents", "request-report", trackingId, "--due", "48h", "--reason", "Were qualified certificates misissued?")
            .Succeeded().Output;
        Assert.Contains("NIS2 intermediate report requested", requested);
        Assert.Contains("Were qualified certificates misissued?", requested);
        var due = _provider.Run("deadlines").Succeeded().Output;
        Assert.Contains("intermediate report (requested)", due);
        Assert.Contains("incident notification (24 h, trust services)", due);

        var answered = _provider.Run("incidents", "nis2", trackingId, "intermediate-report", "No certificate was issued with the exposed keys.").Succeeded().Output;
        Assert.Contains("NIS2 intermediate report received, on time", answered);
        Assert.DoesNotContain("intermediate report (requested)", _provider.Run("deadlines").Succeeded().Output);

        var refused = _provider.Run("incidents", "request-report", trackingId, "--due", "2d", "--reason", "operators may not ask");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("PERMISSION_DENIED", refused.Output);
    }

    private void LogIn(CirtCli person, params string[] issue)
    {
        var issued = _coordinator.Run(["keys", "issue", .. issue]).Succeeded();
        person.Run("login", "--server", _server.Url, "--key", ApiKey().Match(issued.Output).Value).Succeeded();
    }

    [GeneratedRegex(@"CIRT-\d{4}-\d{6}")]
    private static partial Regex TrackingId();

    [GeneratedRegex(@"cirt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")]
    private static partial Regex ApiKey();
}
