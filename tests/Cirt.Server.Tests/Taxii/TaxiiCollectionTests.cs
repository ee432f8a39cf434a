using System.Net;
using System.Text.Json.Nodes;
using Cirt.Grains.Partners;
using Cirt.Server.Taxii;

namespace Cirt.Server.Tests.Taxii;

/// <summary>What a partner's collection holds over time, read as a TAXII client pages through it.</summary>
[Collection(ServerCollection.Name)]
public sealed class TaxiiCollectionTests(ServerFixture server) : IDisposable
{
    private readonly TaxiiClient _taxii = new(server.HttpAddress);

    public void Dispose() => _taxii.Dispose();

    [Fact]
    public async Task ObjectsAndManifestPageWithLimitAndNextWithoutLosingOrRepeatingAny()
    {
        var (partner, credentials) = await PartnerAsync("taxii-paging");
        for (var i = 1; i <= 7; i++)
        {
            await TaxiiPartners.PublishAdvisoryAsync(server, partner, $"ADV-PAGE-{i:0000}", indicator: $"192.0.2.{i}");
        }

        var whole = (await _taxii.ReadAsync(Objects(partner) + "?limit=500", credentials))["objects"]!.AsArray();
        var pages = await _taxii.ReadAllPagesAsync(Objects(partner) + "?limit=4", credentials);
        var manifestPages = await _taxii.ReadAllPagesAsync(Collection(partner) + "manifest/?limit=4", credentials);

        Assert.True(whole.Count > 8, $"seven advisories gave only {whole.Count} objects");
        Assert.Equal(whole.Select(Key), pages.SelectMany(p => p.Objects).Select(Key));
        Assert.All(pages, p => Assert.InRange(p.Objects.Count, 1, 4));
        Assert.All(pages[..^1], p => Assert.True(p.Body["more"]!.GetValue<bool>() && p.Body["next"] is not null));
        Assert.False(pages[^1].Body["more"]!.GetValue<bool>());
        Assert.Null(pages[^1].Body["next"]);

        // The manifest lists the same versions in the same order, and each page's headers are its first and last date_added.
        var manifest = manifestPages.SelectMany(p => p.Objects).ToList();
        Assert.Equal(whole.Select(o => (o!["id"]!.GetValue<string>(), Version(o))), manifest.Select(e => (e!["id"]!.GetValue<string>(), e["version"]!.GetValue<string>())));
        Assert.All(manifest, e => Assert.Equal("application/stix+json;version=2.1", e!["media_type"]!.GetValue<string>()));
        Assert.All(manifestPages, p =>
        {
            Assert.Equal(p.Objects[0]!["date_added"]!.GetValue<string>(), p.DateAddedFirst);
            Assert.Equal(p.Objects[^1]!["date_added"]!.GetValue<string>(), p.DateAddedLast);
        });
        var dates = manifest.Select(e => e!["date_added"]!.GetValue<string>()).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
        Assert.Equal(manifestPages.Select(p => p.DateAddedLast), pages.Select(p => p.DateAddedLast));
    }

    [Fact]
    public async Task AddedAfterTheLastDateSeenReturnsOnlyWhatCameLater()
    {
        var (partner, credentials) = await PartnerAsync("taxii-added");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-ADDED-0001");
        using var first = await _taxii.GetAsync(Objects(partner), credentials);
        var lastSeen = TaxiiClient.Header(first, "X-TAXII-Date-Added-Last");
        Assert.NotNull(lastSeen);

        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-ADDED-0002", indicator: "198.51.100.4");
        var later = (await _taxii.ReadAsync(Objects(partner) + "?added_after=" + Uri.EscapeDataString(lastSeen), credentials))["objects"]!.AsArray();
        var nothingNew = await _taxii.ReadAsync(Objects(partner) + "?added_after=" + Uri.EscapeDataString(
            TaxiiClient.Header(await _taxii.GetAsync(Objects(partner), credentials), "X-TAXII-Date-Added-Last")!), credentials);

        Assert.Contains(later, o => o!["type"]!.GetValue<string>() == "report" && o["name"]!.GetValue<string>().Contains("ADV-ADDED-0002", StringComparison.Ordinal));
        Assert.DoesNotContain(later, o => o!.ToJsonString().Contains("ADV-ADDED-0001", StringComparison.Ordinal));
        // The CIRT's identity and the TLP marking came with the first advisory: not added again.
        Assert.DoesNotContain(later, o => o!["type"]!.GetValue<string>() is "identity" or "marking-definition");
        Assert.Null(nothingNew["objects"]);
        Assert.False(nothingNew["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ANextTokenChangedOrUsedWithOtherFiltersIsRefused()
    {
        var (partner, credentials) = await PartnerAsync("taxii-next");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-NEXT-0001");
        var next = (await _taxii.ReadAsync(Objects(partner) + "?limit=1", credentials))["next"]!.GetValue<string>();
        var tampered = (next[0] == 'A' ? "B" : "A") + next[1..];

        using var changed = await _taxii.GetAsync(Objects(partner) + "?limit=1&next=" + Uri.EscapeDataString(tampered), credentials);
        using var otherFilter = await _taxii.GetAsync(Objects(partner) + "?limit=1&match[type]=report&next=" + Uri.EscapeDataString(next), credentials);
        using var onManifest = await _taxii.GetAsync(Collection(partner) + "manifest/?limit=1&next=" + Uri.EscapeDataString(next), credentials);
        using var good = await _taxii.GetAsync(Objects(partner) + "?limit=1&next=" + Uri.EscapeDataString(next), credentials);

        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherFilter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, onManifest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("400", JsonNode.Parse(await changed.Content.ReadAsStringAsync())!["http_status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=ten")]
    [InlineData("added_after=yesterday")]
    [InlineData("added_after=2026-03-01T09:30:00")]
    [InlineData("match[version]=newest")]
    public async Task BadParametersGet400(string parameters)
    {
        var (partner, credentials) = await PartnerAsync("taxii-bad-" + parameters.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + parameters[0]);

        using var response = await _taxii.GetAsync(Objects(partner) + "?" + parameters, credentials);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task MatchFiltersSelectByIdTypeAndVersion()
    {
        var (partner, credentials) = await PartnerAsync("taxii-match");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-MATCH-0001", version: 1);
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-MATCH-0001", version: 2);

        var reports = (await _taxii.ReadAsync(Objects(partner) + "?match[type]=report", credentials))["objects"]!.AsArray();
        var report = Assert.Single(reports)!;
        var id = report["id"]!.GetValue<string>();
        var all = (await _taxii.ReadAsync(Objects(partner) + $"?match[id]={id}&match[version]=all", credentials))["objects"]!.AsArray();
        var first = (await _taxii.ReadAsync(Objects(partner) + $"?match[id]={id}&match[version]=first", credentials))["objects"]!.AsArray();
        var versions = (await _taxii.ReadAsync(Collection(partner) + $"objects/{id}/versions/", credentials))["versions"]!.AsArray();
        var byVersion = (await _taxii.ReadAsync(Collection(partner) + $"objects/{id}/?match[version]={Uri.EscapeDataString(Version(all[0]))}", credentials))["objects"]!.AsArray();

        Assert.Contains("v2", report["name"]!.GetValue<string>());
        Assert.Equal(2, all.Count);
        Assert.Contains("v1", Assert.Single(first)!["name"]!.GetValue<string>());
        Assert.Equal(all.Select(Version), versions.Select(v => v!.GetValue<string>()));
        Assert.True(string.CompareOrdinal(Version(all[0]), Version(all[1])) < 0);
        Assert.Equal(Version(all[0]), Version(Assert.Single(byVersion)));
        using var unknown = await _taxii.GetAsync(Collection(partner) + $"objects/report--{Guid.NewGuid():D}/", credentials);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnUpdateRevokesWhatItDroppedAndAWithdrawalRevokesTheRest()
    {
        var (partner, credentials) = await PartnerAsync("taxii-revoke");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-REVOKE-0001", version: 1, indicator: "192.0.2.7");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-REVOKE-0001", version: 2, indicator: "198.51.100.9");

        var updated = (await _taxii.ReadAsync(Objects(partner), credentials))["objects"]!.AsArray();
        Assert.True(Indicator(updated, "192.0.2.7")["revoked"]?.GetValue<bool>(), "the indicator the update dropped is not revoked");
        Assert.Null(Indicator(updated, "198.51.100.9")["revoked"]);
        Assert.Empty(TaxiiServerTests.Validate(updated));

        await TaxiiPartners.WithdrawAdvisoryAsync(server, partner, "ADV-REVOKE-0001", version: 3);
        var withdrawn = (await _taxii.ReadAsync(Objects(partner), credentials))["objects"]!.AsArray();

        var own = withdrawn.Where(o => o!["type"]!.GetValue<string>() is not ("identity" or "marking-definition")).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, o => Assert.True(o!["revoked"]?.GetValue<bool>(), $"{o!["id"]} is not revoked"));
        Assert.All(withdrawn.Where(o => o!["type"]!.GetValue<string>() is "identity" or "marking-definition"), o => Assert.Null(o!["revoked"]));
        Assert.Empty(TaxiiServerTests.Validate(withdrawn));
    }

    [Fact]
    public async Task OnlyQueuedAndDeliveredMessagesAreServedAndAnApprovedOneComesAfterWhatWasSeen()
    {
        var (partner, credentials) = await PartnerAsync("taxii-states");
        var store = TaxiiPartners.Store(server);
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-STATE-QUEUED");
        var held = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-STATE-HELD", state: OutboxState.Held);
        var discarded = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-STATE-DISCARDED", state: OutboxState.Held);
        await store.DiscardAsync(discarded.MessageId, "Personal data", "coordinator");
        var failed = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-STATE-FAILED");
        await store.MarkFailedAsync(failed.MessageId, 1, "Refused by the partner", DateTimeOffset.UtcNow);

        using var before = await _taxii.GetAsync(Objects(partner), credentials);
        var beforeText = await before.Content.ReadAsStringAsync();
        Assert.Contains("ADV-STATE-QUEUED", beforeText);
        Assert.DoesNotContain("ADV-STATE-HELD", beforeText);
        Assert.DoesNotContain("ADV-STATE-DISCARDED", beforeText);
        Assert.DoesNotContain("ADV-STATE-FAILED", beforeText);

        await store.ApproveAsync(held.MessageId, "coordinator");
        var approved = (await _taxii.ReadAsync(Objects(partner) + "?added_after=" + Uri.EscapeDataString(TaxiiClient.Header(before, "X-TAXII-Date-Added-Last")!), credentials))["objects"]!.AsArray();

        Assert.Contains(approved, o => o!["type"]!.GetValue<string>() == "report" && o["name"]!.GetValue<string>().Contains("ADV-STATE-HELD", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASuspendedPartnerSeesItsCollectionUnreadableUntilResumed()
    {
        var (partner, credentials) = await PartnerAsync("taxii-suspended");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "ADV-SUSPENDED-0001");

        await TaxiiPartners.SuspendAsync(server, partner);
        var collection = Assert.Single((await _taxii.ReadAsync("/taxii2/cirt/collections/", credentials))["collections"]!.AsArray())!;
        using var objects = await _taxii.GetAsync(Objects(partner), credentials);
        using var manifest = await _taxii.GetAsync(Collection(partner) + "manifest/", credentials);

        Assert.False(collection["can_read"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, objects.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manifest.StatusCode);
        Assert.DoesNotContain("ADV-SUSPENDED-0001", await objects.Content.ReadAsStringAsync());

        await TaxiiPartners.ResumeAsync(server, partner);
        Assert.Contains("ADV-SUSPENDED-0001", (await _taxii.ReadAsync(Objects(partner), credentials)).ToJsonString());
    }

    private async Task<(string Partner, System.Net.Http.Headers.AuthenticationHeaderValue Credentials)> PartnerAsync(string partnerId) =>
        (partnerId, TaxiiClient.Basic(partnerId, await TaxiiPartners.RegisterAsync(server, partnerId)));

    private static string Collection(string partnerId) => $"/taxii2/cirt/collections/{TaxiiCollectionId.For(partnerId):D}/";

    private static string Objects(string partnerId) => Collection(partnerId) + "objects/";

    private static string Version(JsonNode? stixObject) => (stixObject!["modified"] ?? stixObject["created"])!.GetValue<string>();

    private static string Key(JsonNode? stixObject) => stixObject!["id"]!.GetValue<string>() + "@" + Version(stixObject);

    private static JsonNode Indicator(JsonArray objects, string address) =>
        objects.Single(o => o!["type"]!.GetValue<string>() == "indicator" && o["pattern"]!.GetValue<string>().Contains(address, StringComparison.Ordinal))!;
}
