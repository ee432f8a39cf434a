using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cirt.EndToEnd.Tests;

/// <summary>
/// Two CIRTs, two real server processes on this machine (their own data folders, ports, instance
/// ids and countries), introduced to each other only as the README's "Sharing with partner CIRTs"
/// tells a coordinator to: with the console, exchanging public keys and partner keys as files.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SharingWalkthroughTests : IDisposable
{
    private readonly ConsoleWalkthrough _france = new("cirt-e2e-fr-");
    private readonly ConsoleWalkthrough _germany = new("cirt-e2e-de-");
    private readonly CirtCli _frCoordinator;
    private readonly CirtCli _deCoordinator;
    private readonly string _exchange = Path.Combine(Path.GetTempPath(), "cirt-e2e-exchange-" + Guid.NewGuid().ToString("N"));

    public SharingWalkthroughTests()
    {
        Configure(_france.Server, "cirt-fr", "FR");
        Configure(_germany.Server, "cirt-de", "DE");
        _frCoordinator = _france.Person("fr-coordinator");
        _deCoordinator = _germany.Person("de-coordinator");
        Directory.CreateDirectory(_exchange);
    }

    public void Dispose()
    {
        _france.Dispose();
        _germany.Dispose();
        Directory.Delete(_exchange, recursive: true);
    }

    [Fact]
    public void AdvisoriesTravelSignedWithinTheAgreementAndSurviveThePartnerBeingKilled()
    {
        Start();

        // GREEN leaves, signed, and arrives as a received draft at the partner.
        var green = Publish("Edge VPN appliance exploited", "Patch the appliance now and hunt for web shells.", "green");
        var received = Eventually(() => _deCoordinator.Run("advisories", "received").Succeeded().Output,
            output => output.Contains("Edge VPN appliance exploited", StringComparison.Ordinal));
        Assert.Contains("cirt-fr", received);
        Assert.Contains("delivered", Eventually(() => _frCoordinator.Run("partners", "outbox", "--partner", "cirt-de").Succeeded().Output,
            output => output.Contains("delivered", StringComparison.Ordinal)));

        // RED never leaves, whatever the agreement.
        var red = _frCoordinator.Run("advisories", "create", "--title", "Named victims list", "--summary", "For the named recipients only",
            "--tlp", "red", "--sector", "ENERGY", "--partner", "cirt-de");
        var refusedRed = red.ExitCode == 0 ? _frCoordinator.Run("advisories", "publish", AdvisoryId().Match(red.Output).Value) : red;
        Assert.DoesNotContain("Named victims list", _deCoordinator.Run("advisories", "received").Succeeded().Output);
        Assert.Contains("RED", refusedRed.Output, StringComparison.OrdinalIgnoreCase);

        // An e-mail address in the summary holds the message until a coordinator approves a redacted version.
        Publish("Phishing wave against hospitals", "Reports came from it-security@hospital.example; block the sender domain.", "green");
        var outbox = Eventually(() => _frCoordinator.Run("partners", "outbox", "--state", "held").Succeeded().Output,
            output => MessageId().IsMatch(output));
        var messageId = MessageId().Match(outbox).Value;
        var held = _frCoordinator.Run("partners", "message", messageId).Succeeded().Output;
        Assert.Contains("it-security@hospital.example", held);
        Assert.Contains("summary", held);
        Assert.DoesNotContain("Phishing wave against hospitals", _deCoordinator.Run("advisories", "received").Succeeded().Output);
        _frCoordinator.Run("partners", "approve", messageId).Succeeded();
        var redacted = Eventually(() => _deCoordinator.Run("advisories", "received").Succeeded().Output,
            output => output.Contains("Phishing wave against hospitals", StringComparison.Ordinal));
        var receivedId = AdvisoryId().Matches(redacted).Select(m => m.Value).Last();
        var shown = _deCoordinator.Run("advisories", "show", receivedId).Succeeded().Output;
        Assert.DoesNotContain("it-security@hospital.example", shown);

        // The partner is killed with kill -9 while messages are on their way, and comes back later:
        // everything arrives, once.
        _germany.Server.Kill();
        var titles = Enumerable.Range(1, 5).Select(i => $"Outage-time advisory {i}").ToArray();
        foreach (var title in titles)
        {
            Publish(title, "Sent while the partner was down.", "green");
        }

        Assert.Contains("queued", _frCoordinator.Run("partners", "show", "cirt-de").Succeeded().Output);
        _germany.Server.Start();
        var all = Eventually(() => _deCoordinator.Run("advisories", "received").Succeeded().Output,
            output => titles.All(t => output.Contains(t, StringComparison.Ordinal)));
        foreach (var title in titles)
        {
            Assert.Single(Regex.Matches(all, Regex.Escape(title) + @"\b"));
        }

        // The withdrawal follows the advisory.
        _frCoordinator.Run("advisories", "withdraw", green, "--reason", "Superseded by the vendor's advisory").Succeeded();
        Eventually(() => _deCoordinator.Run("advisories", "received").Succeeded().Output,
            output => output.Split('\n').Any(line => line.Contains("Edge VPN appliance exploited", StringComparison.Ordinal)
                                                     && line.Contains("withdrawn", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void AnIncidentSharedAcrossTheBorderCarriesSharedNotesBothWays()
    {
        Start();
        var ours = TrackingId().Match(_frCoordinator.Run("report", "--reporter", "gridco", "--title", "Ransomware on SCADA HMI",
            "--description", "Two HMI workstations encrypted.").Succeeded().Output).Value;
        _frCoordinator.Run("incidents", "triage", ours, "--class", "malicious-code", "--type", "infected-system", "--severity", "high", "--tlp", "amber").Succeeded();

        Assert.Contains($"{ours} shared with cirt-de: message", _frCoordinator.Run("incidents", "share", ours, "--partner", "cirt-de").Succeeded().Output);

        // Germany finds it in its queue as a foreign incident and links it to its own.
        var queue = Eventually(() => _deCoordinator.Run("incidents", "list").Succeeded().Output,
            output => output.Contains("Ransomware on SCADA HMI", StringComparison.Ordinal));
        var foreignLine = queue.Split('\n').Single(line => line.Contains("Ransomware on SCADA HMI", StringComparison.Ordinal));
        Assert.Contains("partner cirt-fr", foreignLine);
        var foreign = TrackingId().Match(foreignLine).Value;
        var theirs = TrackingId().Match(_deCoordinator.Run("report", "--reporter", "gridco", "--title", "VPN appliance compromise",
            "--description", "A web shell on the VPN appliance.").Succeeded().Output).Value;
        _deCoordinator.Run("incidents", "link", foreign, theirs).Succeeded();
        var shown = _deCoordinator.Run("incidents", "show", foreign).Succeeded().Output;
        Assert.Contains("From partner CIRT", shown);
        Assert.Contains($"cirt-fr (FR), their {ours}", shown);
        Assert.Contains(theirs, shown);

        // Shared notes travel both ways; an internal one stays home.
        _deCoordinator.Run("incidents", "note", foreign, "Same web shell seen at a German utility", "--shared").Succeeded();
        Eventually(() => _frCoordinator.Run("incidents", "show", ours, "--all-timeline").Succeeded().Output,
            output => output.Contains("Same web shell seen at a German utility", StringComparison.Ordinal));
        _frCoordinator.Run("incidents", "note", ours, "Our suspect is an insider").Succeeded();
        _frCoordinator.Run("incidents", "note", ours, "Vendor patch 9.5.1 closes the hole", "--shared").Succeeded();
        var there = Eventually(() => _deCoordinator.Run("incidents", "show", foreign, "--all-timeline").Succeeded().Output,
            output => output.Contains("Vendor patch 9.5.1 closes the hole", StringComparison.Ordinal));
        // Messages to a partner arrive in order: had the internal note left, it would be there by now.
        Assert.DoesNotContain("insider", there);
        Assert.Contains("cirt-de", _frCoordinator.Run("incidents", "show", ours).Succeeded().Output);
    }

    [Fact]
    public void AStixBundleExportedAndImportedKeepsItsTlpAndContent()
    {
        Start();
        var id = Publish("Wiper hitting ministries", "Destructive malware spread through a domain controller.", "amber");
        var bundle = Path.Combine(_exchange, "bundle.json");
        _frCoordinator.Run("stix", "export", "advisory", id, "--out", bundle).Succeeded();
        var json = File.ReadAllText(bundle);
        Assert.Contains("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", json);
        var imported = _deCoordinator.Run("stix", "import", bundle).Succeeded().Output;
        Assert.Contains("AMBER", imported, StringComparison.OrdinalIgnoreCase);
        var draft = AdvisoryId().Match(imported).Value;
        var shown = _deCoordinator.Run("advisories", "show", draft).Succeeded().Output;
        Assert.Contains("Wiper hitting ministries", shown);
        Assert.Contains("Destructive malware spread through a domain controller.", shown);
    }

    [Fact]
    public async Task APartnerReadsItsTaxiiCollectionWithItsKeyAndNothingElse()
    {
        Start();
        Publish("Botnet C2 takedown", "Sinkholed domains listed as indicators.", "green");
        Eventually(() => _frCoordinator.Run("partners", "outbox", "--partner", "cirt-de").Succeeded().Output,
            output => output.Contains("delivered", StringComparison.Ordinal));

        using var http = new HttpClient();
        var taxii = _frCoordinator.Run("identity").Succeeded().Output;
        var root = TaxiiUrl().Match(taxii).Value;
        Assert.False(string.IsNullOrEmpty(root), "cirt identity shows the TAXII URL:\n" + taxii);

        var anonymous = await http.GetAsync(new Uri(root));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var partnerKey = File.ReadAllText(Path.Combine(_exchange, "key-for-cirt-de")).Trim();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("cirt-de:" + partnerKey)));
        request.Headers.Accept.ParseAdd("application/taxii+json;version=2.1");
        var discovery = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        using var document = JsonDocument.Parse(await discovery.Content.ReadAsStringAsync());
        Assert.True(document.RootElement.TryGetProperty("api_roots", out _));
    }

    private void Start()
    {
        _france.Server.Start();
        _germany.Server.Start();
        LogIn(_frCoordinator, _france.Server);
        LogIn(_deCoordinator, _germany.Server);
        Introduce(_frCoordinator, "cirt-fr", _france.Server.Url, _deCoordinator, "cirt-de", _germany.Server.Url, maxTlp: "amber");
    }

    /// <summary>
    /// Two CIRTs introduce themselves in turn, handing files over: public keys (`cirt identity
    /// --key-only`) and the partner keys each issues the other. A partner key is issued only to a
    /// registered partner, so the first registers the second before holding a key from it and sets
    /// that key (`cirt partners endpoint`) once the second has registered it back.
    /// </summary>
    private void Introduce(CirtCli first, string firstId, string firstUrl, CirtCli second, string secondId, string secondUrl, string maxTlp)
    {
        File.WriteAllText(Path.Combine(_exchange, firstId + ".pem"), first.Run("identity", "--key-only").Succeeded().Output);
        File.WriteAllText(Path.Combine(_exchange, secondId + ".pem"), second.Run("identity", "--key-only").Succeeded().Output);
        Register(first, secondId, secondUrl, maxTlp, outboundKeyFile: null);
        IssuePartnerKey(first, secondId);
        Register(second, firstId, firstUrl, maxTlp, outboundKeyFile: Path.Combine(_exchange, "key-for-" + secondId));
        IssuePartnerKey(second, firstId);
        first.Run("partners", "endpoint", secondId, "--outbound-key-file", Path.Combine(_exchange, "key-for-" + firstId)).Succeeded();
    }

    /// <summary><paramref name="us"/> registers <paramref name="partnerId"/> with its public key, and with the key it issued us when we hold one.</summary>
    private void Register(CirtCli us, string partnerId, string partnerUrl, string maxTlp, string? outboundKeyFile)
    {
        string[] outbound = outboundKeyFile is null ? [] : ["--outbound-key-file", outboundKeyFile];
        us.Run(["partners", "register", partnerId, "--name", "CSIRT " + partnerId, "--country", partnerId[^2..].ToUpperInvariant(),
            "--endpoint", partnerUrl, "--public-key-file", Path.Combine(_exchange, partnerId + ".pem"), .. outbound,
            "--max-tlp", maxTlp, "--all-sectors", "--kind", "advisory", "--kind", "incident", "--indicators",
            "--personal-data", "none", "--legal-basis", "Bilateral agreement under NIS2 Art. 10(7)", "--retention-days", "365"]).Succeeded();
    }

    /// <summary><paramref name="us"/> issues <paramref name="partnerId"/> the key it delivers to us with, into the file key-for-{partnerId}.</summary>
    private void IssuePartnerKey(CirtCli us, string partnerId)
    {
        var issued = us.Run("keys", "issue", partnerId, "--role", "partner", "--partner", partnerId).Succeeded().Output;
        File.WriteAllText(Path.Combine(_exchange, "key-for-" + partnerId), ApiKey().Match(issued).Value);
    }

    private string Publish(string title, string summary, string tlp)
    {
        var created = _frCoordinator.Run("advisories", "create", "--title", title, "--summary", summary, "--tlp", tlp,
            "--sector", "ENERGY", "--partner", "cirt-de").Succeeded();
        var id = AdvisoryId().Match(created.Output).Value;
        _frCoordinator.Run("advisories", "publish", id).Succeeded();
        return id;
    }

    private static void LogIn(CirtCli person, ServerProcess server) =>
        person.Run("login", "--server", server.Url, "--key", server.BootstrapKey).Succeeded();

    private static void Configure(ServerProcess server, string instanceId, string country)
    {
        server.Settings["Cirt__Federation__InstanceId"] = instanceId;
        server.Settings["Cirt__Federation__Country"] = country;
    }

    private static string Eventually(Func<string> read, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string last;
        do
        {
            last = read();
            if (done(last))
            {
                return last;
            }

            Thread.Sleep(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail("Not reached within 90 s; last output:\n" + last);
        return last;
    }

    [GeneratedRegex(@"CIRT-\d{4}-\d{6}")]
    private static partial Regex TrackingId();

    [GeneratedRegex(@"ADV-\d{4}-\d{4,}")]
    private static partial Regex AdvisoryId();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex MessageId();

    [GeneratedRegex(@"cirt_[0-9a-f]{16}_[A-Za-z0-9_-]+")]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/taxii2/")]
    private static partial Regex TaxiiUrl();
}
