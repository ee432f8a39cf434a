using Cirt.Console.Partners;
using Cirt.Contracts.V1;

namespace Cirt.Console.Tests.Partners;

/// <summary>
/// The partner commands refuse what cannot make a request before calling anyone (exit code 2, the
/// message names the option), and build the request a coordinator means.
/// </summary>
public sealed class PartnerCommandLineTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "cirt-partner-key-" + Guid.NewGuid().ToString("N") + ".pem");

    public PartnerCommandLineTests() =>
        File.WriteAllText(_keyFile, "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n");

    public void Dispose() => File.Delete(_keyFile);

    /// <summary>A complete "partners register" command line, but for the options in <paramref name="without"/>, plus <paramref name="extra"/>.</summary>
    private string[] Register(string[] without, params string[] extra)
    {
        var options = new List<(string Name, string? Value)>
        {
            ("--name", "CERT-Bund"), ("--country", "de"), ("--public-key-file", _keyFile), ("--max-tlp", "green"), ("--sector", "energy"),
            ("--kind", "advisory"), ("--legal-basis", "NIS2 Art. 10(7)"), ("--retention-days", "365"),
        };
        var args = new List<string> { "partners", "register", "cirt-de" };
        foreach (var (name, value) in options.Where(o => !without.Contains(o.Name)))
        {
            args.Add(name);
            if (value is not null)
            {
                args.Add(value);
            }
        }

        args.AddRange(extra);
        return [.. args];
    }

    [Fact]
    public async Task PartnersHelpListsEveryPartnerCommand()
    {
        var (_, output) = await OfflineConsole.RunAsync("partners", "--help");

        foreach (var command in new[] { "register", "list", "show", "suspend", "resume", "agreement", "endpoint", "add-key", "outbox", "message", "approve", "discard", "egress", "refusals" })
        {
            Assert.Contains(command, output);
        }
    }

    [Fact]
    public async Task TopLevelHelpListsIdentityPartnersAndStix()
    {
        var (_, output) = await OfflineConsole.RunAsync("--help");

        Assert.Contains("identity", output);
        Assert.Contains("partners", output);
        Assert.Contains("stix", output);
    }

    [Fact]
    public async Task ACompleteRegistrationGetsAsFarAsTheServer()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([]));

        Assert.Equal(3, exitCode);
        Assert.Contains("cannot reach the Cirt server", output);
    }

    [Theory]
    [InlineData("--name", "Give --name: the partner's name, e.g. CERT-Bund.")]
    [InlineData("--country", "Give --country: the ISO 3166-1 alpha-2 code of the partner's country, e.g. DE.")]
    [InlineData("--public-key-file", "Give --public-key-file FILE: the partner's public signing key (PEM)")]
    [InlineData("--max-tlp", "Give --max-tlp: clear, green or amber, the highest label the partner may receive.")]
    [InlineData("--sector", "Give --sector CODE (repeatable) or --all-sectors: the sectors whose items the partner receives.")]
    [InlineData("--kind", "Give --kind advisory and/or --kind incident: what the partner receives.")]
    [InlineData("--legal-basis", "Give --legal-basis TEXT: the legal basis of the exchange.")]
    [InlineData("--retention-days", "Give --retention-days N: how long the partner may keep what it receives (1 to 3650 days).")]
    public async Task RegisterNamesEachMissingOption(string missing, string message)
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([missing]));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("amber+strict")]
    public async Task AnAgreementAllowsAtMostAmber(string label)
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register(["--max-tlp"], "--max-tlp", label));

        Assert.Equal(2, exitCode);
        Assert.Contains("an agreement allows at most clear, green or amber", output);
        Assert.Contains("TLP:RED never leaves", output);
    }

    [Fact]
    public async Task SectorsAndAllSectorsAreNotGivenTogether()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([], "--all-sectors"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Give either --sector CODE (repeatable) or --all-sectors, not both.", output);
    }

    [Fact]
    public async Task AnUnknownKindListsTheKinds()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([], "--kind", "report"));

        Assert.Equal(2, exitCode);
        Assert.Contains("'report' is not a kind of item; use one of: advisory, incident.", output);
    }

    [Fact]
    public async Task AnUnknownPersonalDataPolicyListsThePolicies()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([], "--personal-data", "all"));

        Assert.Equal(2, exitCode);
        Assert.Contains("'all' is not a personal-data policy; use one of: none, pseudonymised.", output);
    }

    // Two CIRTs introduce themselves in turn: the first registers the other before it holds a key from it.
    [Fact]
    public async Task AnEndpointMayComeBeforeTheKeyThePartnerIssuesUs()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([], "--endpoint", "https://cirt.example.de"));

        Assert.Equal(3, exitCode);
        Assert.Contains("cannot reach the Cirt server", output);
    }

    [Fact]
    public async Task AnOutboundKeyNeedsAnEndpoint()
    {
        var (exitCode, output) = await OfflineConsole.RunWithInputAsync("cirt_secret", Register([], "--outbound-key-stdin"));

        Assert.Equal(2, exitCode);
        Assert.Contains("An outbound API key is used only to call the partner's endpoint: give --endpoint URL too.", output);
    }

    [Fact]
    public async Task TheOutboundKeyIsGivenOnce()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(Register([], "--endpoint", "https://cirt.example.de", "--outbound-key-file", _keyFile, "--outbound-key-stdin"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Give the partner's API key once: --outbound-key-file FILE or --outbound-key-stdin, not both.", output);
    }

    [Fact]
    public async Task NothingPipedInIsRefused()
    {
        var (exitCode, output) = await OfflineConsole.RunWithInputAsync("  \n", Register([], "--endpoint", "https://cirt.example.de", "--outbound-key-stdin"));

        Assert.Equal(2, exitCode);
        Assert.Contains("--outbound-key-stdin: nothing was read from standard input.", output);
    }

    [Fact]
    public async Task AMissingKeyFileIsNamed()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cirt-no-such-key-" + Guid.NewGuid().ToString("N") + ".pem");

        var (exitCode, output) = await OfflineConsole.RunAsync(Register(["--public-key-file"], "--public-key-file", missing));

        Assert.Equal(2, exitCode);
        Assert.Contains($"--public-key-file '{missing}': no such file.", output);
    }

    [Fact]
    public void TheRequestCarriesTheKeysAndTheAgreementAsTyped()
    {
        var settings = new RegisterPartnerCommand.Settings
        {
            PartnerId = "cirt-de", Name = "CERT-Bund", Country = "de", Endpoint = "https://cirt.example.de", PublicKeyFile = _keyFile,
            OutboundKeyStdin = true, MaxTlp = "TLP:AMBER", Sectors = ["energy", "ENERGY", "banking"], Kinds = ["advisories", "incident"],
            Indicators = true, PersonalData = "pseudonymized", LegalBasis = " NIS2 Art. 10(7) ", RetentionDays = 90,
        };

        var request = RegisterPartnerCommand.Request(settings, new StringReader("cirt_0123456789abcdef\n"));

        Assert.Equal("DE", request.Country);
        Assert.Equal("cirt_0123456789abcdef", request.OutboundApiKey);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", request.PublicKey);
        Assert.Equal(Tlp.Amber, request.Agreement.MaxTlp);
        Assert.Equal(["ENERGY", "BANKING"], request.Agreement.Sectors);
        Assert.False(request.Agreement.AllSectors);
        Assert.Equal([SharedItemKind.Advisory, SharedItemKind.Incident], request.Agreement.Kinds);
        Assert.True(request.Agreement.Indicators);
        Assert.False(request.Agreement.AffectedOrganisationNames);
        Assert.Equal(PersonalDataPolicy.Pseudonymised, request.Agreement.PersonalData);
        Assert.Equal("NIS2 Art. 10(7)", request.Agreement.LegalBasis);
        Assert.Equal(90, request.Agreement.RetentionDays);
    }

    [Fact]
    public async Task AnAgreementIsGivenWholeAsAtRegister()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("partners", "agreement", "cirt-de", "--max-tlp", "clear", "--all-sectors", "--legal-basis", "MoU 2026");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --kind advisory and/or --kind incident: what the partner receives.", output);
    }

    [Fact]
    public async Task SuspendNeedsAReason()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("partners", "suspend", "cirt-de");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --reason: why exchange with the partner stops.", output);
    }

    [Fact]
    public async Task AddKeyNeedsTheKeyFileAndTheOverlap()
    {
        var (noFileExit, noFile) = await OfflineConsole.RunAsync("partners", "add-key", "cirt-de", "--overlap-days", "7");
        var (noOverlapExit, noOverlap) = await OfflineConsole.RunAsync("partners", "add-key", "cirt-de", "--public-key-file", _keyFile);

        Assert.Equal(2, noFileExit);
        Assert.Contains("Give --public-key-file FILE: the partner's new public signing key (PEM).", noFile);
        Assert.Equal(2, noOverlapExit);
        Assert.Contains("Give --overlap-days N: how long the partner's older keys stay valid (0 to 30; 0 stops them at once).", noOverlap);
    }

    [Fact]
    public async Task OutboxStatesAreThePlainWords()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("partners", "outbox", "--state", "pending");

        Assert.Equal(2, exitCode);
        Assert.Contains("'pending' is not a message state; use one of: held, queued, delivered, failed, discarded.", output);
        Assert.Equal(OutboxState.Held, ListOutboxCommand.Request(new ListOutboxCommand.Settings { State = "HELD", Partner = "cirt-de" }).State);
    }

    [Fact]
    public async Task DiscardNeedsAReason()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("partners", "discard", "6f1c9a9e-8c1e-4b7a-9d43-2f7c1b0e5a11");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give --reason: why the message must not leave.", output);
    }

    [Theory]
    [InlineData("partners", "show")]
    [InlineData("partners", "message")]
    [InlineData("partners", "approve")]
    [InlineData("partners", "resume")]
    public async Task CommandsOnOneThingNeedItsId(string branch, string command)
    {
        var (exitCode, output) = await OfflineConsole.RunAsync(branch, command);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("missing required argument", output);
    }

    // The key a partner CIRT delivers to us with is issued to its id: "cirt keys issue cirt-de --role partner --partner cirt-de".
    [Fact]
    public async Task AKeysHolderIsNamedOnce()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("keys", "issue", "cirt-de", "--name", "cirt-nl", "--role", "partner", "--partner", "cirt-de");
        var (positionalExit, positional) = await OfflineConsole.RunAsync("keys", "issue", "cirt-de", "--role", "partner", "--partner", "cirt-de");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give the key holder's name once: 'cirt-de' or --name 'cirt-nl'.", output);
        Assert.Equal(3, positionalExit);
        Assert.Contains("cannot reach the Cirt server", positional);
    }

    [Fact]
    public async Task EndpointNeedsSomethingToChange()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("partners", "endpoint", "cirt-de");

        Assert.Equal(2, exitCode);
        Assert.Contains("Nothing to change: give --endpoint URL and/or the key the partner issued to us", output);
    }

    [Fact]
    public async Task EndpointTakesTheKeyOnce()
    {
        var (exitCode, output) = await OfflineConsole.RunAsync("partners", "endpoint", "cirt-de", "--outbound-key-file", _keyFile, "--outbound-key-stdin");

        Assert.Equal(2, exitCode);
        Assert.Contains("Give the partner's API key once", output);
    }

    [Fact]
    public void EndpointKeepsTheRegisteredEndpointAndReadsTheVersionItStartedFrom()
    {
        var current = new Partner { Id = "cirt-de", EndpointUrl = "https://cirt.example.de", Version = 3 };

        var request = UpdatePartnerEndpointCommand.Request(new UpdatePartnerEndpointCommand.Settings { PartnerId = "cirt-de", OutboundKeyStdin = true }, current,
            new StringReader("cirt_issued_by_de\n"));

        Assert.Equal("https://cirt.example.de", request.EndpointUrl);
        Assert.Equal("cirt_issued_by_de", request.OutboundApiKey);
        Assert.Equal(3, request.ExpectedVersion);
    }
}
