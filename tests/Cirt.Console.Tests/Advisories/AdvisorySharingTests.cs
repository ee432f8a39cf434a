using System.Text.RegularExpressions;
using Cirt.Console.Tests.Partners;

namespace Cirt.Console.Tests.Advisories;

/// <summary>
/// A coordinator shares advisories with a partner CIRT from the console and follows them in the
/// outbox: queued within the agreement, refused above it, held for approval when a summary names a
/// person, then discarded or approved. The partner's endpoint does not answer, so nothing is
/// delivered here (two real instances are the end-to-end tests' work). Against a real server in
/// this process (memory profile, loopback).
/// </summary>
public sealed partial class AdvisorySharingTests : IAsyncLifetime
{
    private readonly PartnerFiles _files = new();
    private ConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsoleServer.StartAsync("--Cirt:Federation:InstanceId", "cirt-fr", "--Cirt:Federation:Country", "FR");
        var (exitCode, output) = await RunAsync(_files.Register("cirt-de", "--max-tlp", "green", "--sector", "ENERGY", "--kind", "advisory", "--indicators",
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
    public async Task APublishedAdvisoryNamingAPartnerIsQueuedForItAndShownSo()
    {
        var id = await PublishAsync("green", "Patch ExampleVPN now; exploitation seen in the energy sector.", "--partner", "cirt-de");

        var (_, outbox) = await RunAsync("partners", "outbox", "--partner", "cirt-de");
        var (_, shown) = await RunAsync("advisories", "show", id);

        Assert.Contains(id, outbox);
        Assert.Contains("publish", outbox);
        Assert.Contains("Partner CIRTs", shown);
        Assert.Contains("Shared with partner CIRTs", shown);
        Assert.Contains("cirt-de", shown);
    }

    [Fact]
    public async Task SharingAnAmberAdvisoryUnderAGreenAgreementSaysWhyNot()
    {
        var id = await PublishAsync("amber", "Indicators of the ExampleVPN campaign.");

        var (exitCode, output) = await RunAsync("advisories", "share", id, "--partner", "cirt-de");

        Assert.Equal(0, exitCode);
        Assert.Contains("cirt-de: not shared", output);
        var (_, outbox) = await RunAsync("partners", "outbox", "--partner", "cirt-de");
        Assert.DoesNotContain(id, outbox);
    }

    [Fact]
    public async Task AnEmailAddressInTheSummaryHoldsTheShareUntilACoordinatorDecides()
    {
        var id = await PublishAsync("green", "Send samples to jan.devries@gridco.example before noon.", "--partner", "cirt-de");

        var (_, held) = await RunAsync("partners", "outbox", "--state", "held");
        Assert.Contains(id, held);
        Assert.Contains("1 e-mail address in summary", held);
        var messageId = MessageId().Match(held).Value;

        var (messageExit, message) = await RunAsync("partners", "message", messageId);
        Assert.Equal(0, messageExit);
        Assert.Contains("e-mail address", message);
        Assert.Contains("jan.devries@gridco.example", message);
        var payload = message[message.IndexOf("Payload approving would send (redacted)", StringComparison.Ordinal)..];
        Assert.DoesNotContain("jan.devries@gridco.example", payload);
        Assert.Contains("before noon", payload);

        var (discardExit, discarded) = await RunAsync("partners", "discard", messageId, "--reason", "Names a person at GridCo");
        Assert.Equal(0, discardExit);
        Assert.Contains("never leaves for cirt-de", discarded);
        var (_, discardedList) = await RunAsync("partners", "outbox", "--state", "discarded");
        Assert.Contains(messageId, discardedList);
        Assert.Contains("Names a person at GridCo", discardedList);
    }

    [Fact]
    public async Task AnApprovedMessageIsQueuedRedacted()
    {
        await PublishAsync("green", "Call +31 20 123 4567 for the decryption key.", "--partner", "cirt-de");
        var (_, held) = await RunAsync("partners", "outbox", "--state", "held");
        var messageId = MessageId().Match(held).Value;

        var (exitCode, approved) = await RunAsync("partners", "approve", messageId);

        Assert.Equal(0, exitCode);
        Assert.Contains("Approved", approved);
        var (_, stillHeld) = await RunAsync("partners", "outbox", "--state", "held");
        Assert.DoesNotContain(messageId, stillHeld);
        var (_, message) = await RunAsync("partners", "message", messageId);
        Assert.Contains("Approved by", message);
    }

    [Fact]
    public async Task NothingReceivedYet()
    {
        var (exitCode, output) = await RunAsync("advisories", "received");

        Assert.Equal(0, exitCode);
        Assert.Contains("No advisories received from partner CIRTs.", output);
    }

    /// <summary>Creates and publishes an advisory to the energy sector; returns its id.</summary>
    private async Task<string> PublishAsync(string tlp, string summary, params string[] more)
    {
        var (createExit, created) = await RunAsync(["advisories", "create", "--title", "ExampleVPN exploited", "--summary", summary, "--tlp", tlp,
            "--sector", "ENERGY", "--domain", "evil.example", .. more]);
        Assert.True(createExit == 0, created);
        var id = Regex.Match(created, @"ADV-\d{4}-\d+").Value;
        var (publishExit, published) = await RunAsync("advisories", "publish", id);
        Assert.True(publishExit == 0, published);
        return id;
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex MessageId();
}
