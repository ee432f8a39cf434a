using System.Security.Cryptography;

namespace Cirt.Console.Tests.Partners;

/// <summary>
/// A coordinator introduces a partner CIRT and manages it from the console: this instance's
/// identity, register, list, show, suspend, resume, agreement and a new key. Against a real server
/// in this process (memory profile, loopback).
/// </summary>
public sealed class PartnerConsoleTests : IAsyncLifetime
{
    private readonly PartnerFiles _files = new();
    private ConsoleServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ConsoleServer.StartAsync("--Cirt:Federation:InstanceId", "cirt-fr", "--Cirt:Federation:Country", "FR");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _files.Dispose();
    }

    [Fact]
    public async Task IdentityShowsThisInstanceAndTheKeyPartnersRegister()
    {
        var (exitCode, output) = await RunAsync("identity");
        var (keyExit, pem) = await RunAsync("identity", "--key-only");

        Assert.Equal((0, 0), (exitCode, keyExit));
        Assert.Contains("cirt-fr", output);
        Assert.Contains("FR", output);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem);
        Assert.EndsWith("-----END PUBLIC KEY-----\n", pem);
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        Assert.Equal(256, key.KeySize);
        Assert.Contains(PartnerFiles.Fingerprint(key.ExportSubjectPublicKeyInfo()), output);
        Assert.Contains(pem.Trim(), output);
    }

    [Fact]
    public async Task ARegisteredPartnerIsListedAndShownWithItsAgreementAndKeyButNotOurKeyForIt()
    {
        var (keyFile, fingerprint) = _files.NewPublicKey("cirt-de");

        var (exitCode, registered) = await RegisterAsync(keyFile);

        Assert.Equal(0, exitCode);
        Assert.Contains("Registered partner cirt-de (CERT-Bund, DE).", registered);
        Assert.Contains(fingerprint, registered);
        var (_, list) = await RunAsync("partners", "list");
        Assert.Contains("cirt-de", list);
        Assert.Contains("CERT-Bund", list);
        Assert.Contains("active", list);
        var (showExit, shown) = await RunAsync("partners", "show", "cirt-de");
        Assert.Equal(0, showExit);
        Assert.Contains("TLP:GREEN", shown);
        Assert.Contains("BANKING, ENERGY", shown);
        Assert.Contains("advisories and incidents", shown);
        Assert.Contains("NIS2 Art. 10(7)", shown);
        Assert.Contains("365 days", shown);
        Assert.Contains(fingerprint, shown);
        Assert.Contains("current key", shown);
        Assert.Contains("held (never shown)", shown);
        Assert.DoesNotContain(_files.OutboundKey, registered + list + shown);
    }

    [Fact]
    public async Task AKnownPartnerIsNotRegisteredTwice()
    {
        var (keyFile, _) = _files.NewPublicKey("cirt-de");
        await RegisterAsync(keyFile);

        var (exitCode, output) = await RegisterAsync(keyFile);

        Assert.Equal(1, exitCode);
        Assert.Contains("ALREADY_EXISTS", output);
    }

    [Fact]
    public async Task ASuspendedPartnerShowsWhyUntilItIsResumed()
    {
        await RegisterAsync(_files.NewPublicKey("cirt-de").File);

        var (suspendExit, suspended) = await RunAsync("partners", "suspend", "cirt-de", "--reason", "Key compromise reported by CERT-Bund");
        var (_, shownSuspended) = await RunAsync("partners", "show", "cirt-de");
        var (resumeExit, resumed) = await RunAsync("partners", "resume", "cirt-de");
        var (_, shownResumed) = await RunAsync("partners", "show", "cirt-de");

        Assert.Equal((0, 0), (suspendExit, resumeExit));
        Assert.Contains("Partner cirt-de suspended", suspended);
        Assert.Contains("suspended: Key compromise reported by CERT-Bund", shownSuspended);
        Assert.Contains("Partner cirt-de is active again", resumed);
        Assert.Contains("active", shownResumed);
        Assert.DoesNotContain("Key compromise", shownResumed);
    }

    [Fact]
    public async Task AnAgreementIsReplacedWholeAndAStaleVersionIsRefused()
    {
        await RegisterAsync(_files.NewPublicKey("cirt-de").File);
        string[] clearAdvisories = ["--max-tlp", "clear", "--all-sectors", "--kind", "advisory", "--legal-basis", "MoU 2027", "--retention-days", "30"];

        var (staleExit, stale) = await RunAsync(["partners", "agreement", "cirt-de", "--expected-version", "99", .. clearAdvisories]);
        var (exitCode, replaced) = await RunAsync(["partners", "agreement", "cirt-de", .. clearAdvisories]);

        Assert.Equal(1, staleExit);
        Assert.Contains("ABORTED", stale);
        Assert.Equal(0, exitCode);
        Assert.Contains("Agreement with cirt-de replaced", replaced);
        var (_, shown) = await RunAsync("partners", "show", "cirt-de");
        Assert.Contains("TLP:CLEAR", shown);
        Assert.Contains("every sector", shown);
        Assert.Contains("30 days", shown);
        Assert.Contains("MoU 2027", shown);
        Assert.DoesNotContain("incidents", shown);
    }

    [Fact]
    public async Task ANewKeyStandsBesideTheOldOneForTheOverlap()
    {
        var (firstFile, first) = _files.NewPublicKey("cirt-de");
        var (secondFile, second) = _files.NewPublicKey("cirt-de-2027");
        await RegisterAsync(firstFile);

        var (exitCode, output) = await RunAsync("partners", "add-key", "cirt-de", "--public-key-file", secondFile, "--overlap-days", "7");

        Assert.Equal(0, exitCode);
        var (_, shown) = await RunAsync("partners", "show", "cirt-de");
        Assert.Contains(first, shown);
        Assert.Contains(second, shown);
        Assert.Contains("(overlap)", shown);
        Assert.Contains("current key", shown);
        Assert.Contains(second, output);
    }

    // Two CIRTs introduce themselves in turn: the first registers the other before the other can issue it a key.
    [Fact]
    public async Task ThePartnersKeyForUsCanComeAfterItIsRegistered()
    {
        var (registerExit, registered) = await RunAsync("partners", "register", "cirt-de", "--name", "CERT-Bund", "--country", "DE",
            "--endpoint", PartnerFiles.NowhereUrl(), "--public-key-file", _files.NewPublicKey("cirt-de").File,
            "--max-tlp", "green", "--all-sectors", "--kind", "advisory", "--legal-basis", "NIS2 Art. 10(7)", "--retention-days", "365");
        var (_, before) = await RunAsync("partners", "show", "cirt-de");

        var (exitCode, output) = await RunAsync("partners", "endpoint", "cirt-de", "--outbound-key-file", _files.OutboundKeyFile);

        Assert.Equal((0, 0), (registerExit, exitCode));
        Assert.Contains("Nothing is delivered to it until we hold the key it issues us", registered);
        Assert.Contains("none yet", before);
        Assert.Contains("our key for it is held", output);
        var (_, after) = await RunAsync("partners", "show", "cirt-de");
        Assert.Contains("held (never shown)", after);
        Assert.DoesNotContain(_files.OutboundKey, output + after);
    }

    [Fact]
    public async Task NothingInTheOutboxYet()
    {
        await RegisterAsync(_files.NewPublicKey("cirt-de").File);

        var (outboxExit, outbox) = await RunAsync("partners", "outbox", "--partner", "cirt-de");
        var (heldExit, held) = await RunAsync("partners", "outbox", "--state", "held");
        var (egressExit, egress) = await RunAsync("partners", "egress");
        var (refusalsExit, refusals) = await RunAsync("partners", "refusals");

        Assert.Equal((0, 0, 0, 0), (outboxExit, heldExit, egressExit, refusalsExit));
        Assert.Contains("No messages.", outbox);
        Assert.Contains("Nothing is held for approval.", held);
        Assert.Contains("Nothing has left this instance.", egress);
        Assert.Contains("No delivery to this instance has been refused.", refusals);
    }

    private Task<(int ExitCode, string Output)> RegisterAsync(string publicKeyFile) =>
        RunAsync("partners", "register", "cirt-de", "--name", "CERT-Bund", "--country", "de",
            "--endpoint", PartnerFiles.NowhereUrl(), "--public-key-file", publicKeyFile, "--outbound-key-file", _files.OutboundKeyFile,
            "--max-tlp", "green", "--sector", "ENERGY", "--sector", "banking", "--kind", "advisory", "--kind", "incident", "--indicators",
            "--legal-basis", "NIS2 Art. 10(7)", "--retention-days", "365");

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => _server.RunAsync(_server.CoordinatorKey, args);
}
