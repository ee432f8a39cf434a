using System.Net;
using System.Text.Json.Nodes;
using Cirt.Contracts.V1;
using Cirt.Server.Taxii;
using Cirt.Server.Tests.Federation;

namespace Cirt.Server.Tests.Taxii;

/// <summary>
/// What a partner's collection holds as coordinators share, update and withdraw advisories, read as
/// a TAXII client pages through it.
/// </summary>
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
            await TaxiiPartners.PublishAdvisoryAsync(server, partner, $"Paging advisory {i}", indicator: $"192.0.2.{i}");
        }

        var whole = (await _taxii.ReadAsync(Objects(partner) + "?limit=500", credentials))["objects"]!.AsArray();
        var pages = await _taxii.ReadAllPagesAsync(Objects(partner) + "?limit=4", credentials);
        var manifestPages = await _taxii.ReadAllPagesAsync(Collection(partner) + "manifest/?limit=4", credentials);

        Assert.Equal(7, whole.Count(o => o!["type"]!.GetValue<string>() == "report"));
        Assert.Equal(whole.Select(Key), pages.SelectMany(p => p.Objects).Select(Key));
        Assert.Equal(whole.Count, whole.Select(Key).Distinct().Count());
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
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Added first");
        using var first = await _taxii.GetAsync(Objects(partner), credentials);
        var lastSeen = TaxiiClient.Header(first, "X-TAXII-Date-Added-Last");
        Assert.NotNull(lastSeen);

        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Added second", indicator: "198.51.100.4");
        var later = (await _taxii.ReadAsync(Objects(partner) + "?added_after=" + Uri.EscapeDataString(lastSeen), credentials))["objects"]!.AsArray();
        using var again = await _taxii.GetAsync(Objects(partner), credentials);
        var nothingNew = await _taxii.ReadAsync(Objects(partner) + "?added_after=" + Uri.EscapeDataString(TaxiiClient.Header(again, "X-TAXII-Date-Added-Last")!), credentials);

        Assert.Contains(later, o => o!["type"]!.GetValue<string>() == "report" && o["name"]!.GetValue<string>() == "Added second");
        Assert.DoesNotContain(later, o => o!.ToJsonString().Contains("Added first", StringComparison.Ordinal));
        // The CIRT's identity and the TLP marking came with the first advisory: not added again.
        Assert.DoesNotContain(later, o => o!["type"]!.GetValue<string>() is "identity" or "marking-definition");
        Assert.Null(nothingNew["objects"]);
        Assert.False(nothingNew["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ANextTokenChangedOrUsedWithOtherFiltersIsRefused()
    {
        var (partner, credentials) = await PartnerAsync("taxii-next");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Next token advisory");
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
        var (partner, credentials) = await PartnerAsync("taxii-bad-parameters");

        using var response = await _taxii.GetAsync(Objects(partner) + "?" + parameters, credentials);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task MatchFiltersSelectByIdTypeAndVersion()
    {
        var (partner, credentials) = await PartnerAsync("taxii-match");
        var published = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Match v1");
        await TaxiiPartners.UpdateAdvisoryAsync(server, partner, published.ItemId, "Match v2", "192.0.2.7");

        var reports = (await _taxii.ReadAsync(Objects(partner) + "?match[type]=report", credentials))["objects"]!.AsArray();
        var report = Assert.Single(reports)!;
        var id = report["id"]!.GetValue<string>();
        var all = (await _taxii.ReadAsync(Objects(partner) + $"?match[id]={id}&match[version]=all", credentials))["objects"]!.AsArray();
        var first = (await _taxii.ReadAsync(Objects(partner) + $"?match[id]={id}&match[version]=first", credentials))["objects"]!.AsArray();
        var versions = (await _taxii.ReadAsync(Collection(partner) + $"objects/{id}/versions/", credentials))["versions"]!.AsArray();
        var byVersion = (await _taxii.ReadAsync(Collection(partner) + $"objects/{id}/?match[version]={Uri.EscapeDataString(Version(all[0]))}", credentials))["objects"]!.AsArray();

        Assert.Equal("Match v2", report["name"]!.GetValue<string>());
        Assert.Equal(2, all.Count);
        Assert.Equal("Match v1", Assert.Single(first)!["name"]!.GetValue<string>());
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
        var published = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Revoke me", indicator: "192.0.2.7");
        await TaxiiPartners.UpdateAdvisoryAsync(server, partner, published.ItemId, "Revoke me", "198.51.100.9");

        var updated = (await _taxii.ReadAsync(Objects(partner), credentials))["objects"]!.AsArray();
        Assert.True(Indicator(updated, "192.0.2.7")["revoked"]?.GetValue<bool>(), "the indicator the update dropped is not revoked");
        Assert.Null(Indicator(updated, "198.51.100.9")["revoked"]);
        Assert.Empty(TaxiiServerTests.Validate(updated));

        await TaxiiPartners.WithdrawAdvisoryAsync(server, partner, published.ItemId);
        var withdrawn = (await _taxii.ReadAsync(Objects(partner), credentials))["objects"]!.AsArray();

        var own = withdrawn.Where(o => o!["type"]!.GetValue<string>() is not ("identity" or "marking-definition")).ToList();
        Assert.Contains(own, o => o!["type"]!.GetValue<string>() == "report");
        Assert.All(own, o => Assert.True(o!["revoked"]?.GetValue<bool>(), $"{o!["id"]} is not revoked"));
        Assert.All(withdrawn.Where(o => o!["type"]!.GetValue<string>() is "identity" or "marking-definition"), o => Assert.Null(o!["revoked"]));
        Assert.Empty(TaxiiServerTests.Validate(withdrawn));
    }

    [Fact]
    public async Task TheCollectionHoldsOnlyWhatTheAgreementLetThrough()
    {
        var (partner, credentials) = await PartnerAsync("taxii-green", TaxiiPartners.Agreement(Tlp.Green));
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Green for the partner");
        var amber = await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest
        {
            Content = new AdvisoryContent
            {
                Title = "Amber, above the agreement", Summary = "Only for the constituency.", Tlp = Tlp.Amber, TargetSectors = { "ENERGY" }, PartnerRecipients = { partner },
            },
        });
        var shared = await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = amber.Advisory.Id });

        var text = (await _taxii.ReadAsync(Objects(partner), credentials)).ToJsonString();

        Assert.Contains("Green for the partner", text);
        Assert.DoesNotContain("Amber, above the agreement", text);
        Assert.DoesNotContain("55d920b0-5e8b-4f79-9ee9-91f868d9b421", text);
        Assert.DoesNotContain(shared.Advisory.PartnerShares, s => s.PartnerId == partner && s.MessageId.Length > 0);
    }

    [Fact]
    public async Task OnlyQueuedAndDeliveredMessagesAreServedAndAnApprovedOneComesAfterWhatWasSeen()
    {
        var (partner, credentials) = await PartnerAsync("taxii-states");
        const string PersonalData = "Ask jane.doe@example.org at the operator for the logs.";
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "State queued");
        var held = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "State held", summary: PersonalData);
        var discarded = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "State discarded", summary: PersonalData);
        await server.Partners().DiscardOutboxMessageAsync(new DiscardOutboxMessageRequest { MessageId = discarded.MessageId, Reason = "Personal data" });
        // A partner's own server refusing a message for good is the only way one fails; this partner has none, so the outbox is told directly.
        var failed = await TaxiiPartners.PublishAdvisoryAsync(server, partner, "State failed");
        var store = TaxiiPartners.Store(server);
        var claim = await store.ClaimDeliveryAsync(partner, "taxii-test", TimeSpan.FromMinutes(1));
        Assert.True(await store.MarkFailedAsync(claim, failed.MessageId, 1, "Refused by the partner", DateTimeOffset.UtcNow));

        using var before = await _taxii.GetAsync(Objects(partner), credentials);
        var beforeText = await before.Content.ReadAsStringAsync();
        Assert.Equal(OutboxState.Held, held.State);
        Assert.Contains("State queued", beforeText);
        Assert.DoesNotContain("State held", beforeText);
        Assert.DoesNotContain("State discarded", beforeText);
        Assert.DoesNotContain("State failed", beforeText);

        await server.Partners().ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = held.MessageId });
        var approved = (await _taxii.ReadAsync(Objects(partner) + "?added_after=" + Uri.EscapeDataString(TaxiiClient.Header(before, "X-TAXII-Date-Added-Last")!), credentials))["objects"]!.AsArray();

        var report = Assert.Single(approved, o => o!["type"]!.GetValue<string>() == "report")!;
        Assert.Equal("State held", report["name"]!.GetValue<string>());
        Assert.DoesNotContain("jane.doe@example.org", report.ToJsonString());
    }

    [Fact]
    public async Task WhatLeavesThroughTaxiiIsRecordedWithTheKeyWhenFirstRead()
    {
        const string Partner = "taxii-served";
        var key = await TaxiiPartners.RegisterAsync(server, Partner);
        var credentials = TaxiiClient.Basic(Partner, key);
        var message = await TaxiiPartners.PublishAdvisoryAsync(server, Partner, "Served advisory");

        await _taxii.ReadAsync(Collection(Partner) + "manifest/", credentials);
        var afterManifest = await ServedAsync(Partner);
        await _taxii.ReadAsync(Objects(Partner), credentials);
        await _taxii.ReadAsync(Objects(Partner), credentials);
        var served = await ServedAsync(Partner);

        Assert.Empty(afterManifest);
        Assert.Equal([(message.MessageId, key.Split('_')[1])], served);
    }

    [Fact]
    public async Task ASharedIncidentIsAnIncidentWithItsIndicatorsInAReport()
    {
        var (partner, credentials) = await PartnerAsync("taxii-incident");
        await TaxiiPartners.ShareIncidentAsync(server, partner, "CIRT-2026-000042");

        var objects = (await _taxii.ReadAsync(Objects(partner), credentials))["objects"]!.AsArray();

        var incident = Assert.Single(objects, o => o!["type"]!.GetValue<string>() == "incident")!;
        Assert.Equal("Ransomware at a grid operator", incident["name"]!.GetValue<string>());
        Assert.NotNull(incident["extensions"]?["extension-definition--ef765651-680c-498d-9894-99799f2fa126"]);
        Assert.Contains(objects, o => o!["type"]!.GetValue<string>() == "report");
        Assert.Contains(objects, o => o!["type"]!.GetValue<string>() == "indicator" && o["pattern"]!.GetValue<string>().Contains("c2.example.net", StringComparison.Ordinal));
        Assert.Empty(TaxiiServerTests.Validate(objects));
    }

    [Fact]
    public async Task ASuspendedPartnerSeesItsCollectionUnreadableUntilResumed()
    {
        var (partner, credentials) = await PartnerAsync("taxii-suspended");
        await TaxiiPartners.PublishAdvisoryAsync(server, partner, "Advisory of a suspended partner");

        await TaxiiPartners.SuspendAsync(server, partner);
        var collection = Assert.Single((await _taxii.ReadAsync("/taxii2/cirt/collections/", credentials))["collections"]!.AsArray())!;
        using var objects = await _taxii.GetAsync(Objects(partner), credentials);
        using var manifest = await _taxii.GetAsync(Collection(partner) + "manifest/", credentials);

        Assert.False(collection["can_read"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, objects.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manifest.StatusCode);
        Assert.DoesNotContain("Advisory of a suspended partner", await objects.Content.ReadAsStringAsync());

        await TaxiiPartners.ResumeAsync(server, partner);
        Assert.Contains("Advisory of a suspended partner", (await _taxii.ReadAsync(Objects(partner), credentials)).ToJsonString());
    }

    private async Task<(string Partner, System.Net.Http.Headers.AuthenticationHeaderValue Credentials)> PartnerAsync(string partnerId, SharingAgreement? agreement = null) =>
        (partnerId, TaxiiClient.Basic(partnerId, await TaxiiPartners.RegisterAsync(server, partnerId, agreement)));

    /// <summary>The messages recorded as read over TAXII for the partner, with the key that read them.</summary>
    private async Task<List<(string MessageId, string KeyId)>> ServedAsync(string partnerId)
    {
        await using var connection = await TaxiiPartners.Store(server).Database.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT message_id, key_id FROM taxii_served WHERE partner_id = $partner ORDER BY served_at;";
        select.Parameters.AddWithValue("$partner", partnerId);
        var served = new List<(string, string)>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            served.Add((reader.GetString(0), reader.GetString(1)));
        }

        return served;
    }

    private static string Collection(string partnerId) => $"/taxii2/cirt/collections/{TaxiiCollectionId.For(partnerId):D}/";

    private static string Objects(string partnerId) => Collection(partnerId) + "objects/";

    private static string Version(JsonNode? stixObject) => (stixObject!["modified"] ?? stixObject["created"])!.GetValue<string>();

    private static string Key(JsonNode? stixObject) => stixObject!["id"]!.GetValue<string>() + "@" + Version(stixObject);

    private static JsonNode Indicator(JsonArray objects, string address) =>
        objects.Single(o => o!["type"]!.GetValue<string>() == "indicator" && o["pattern"]!.GetValue<string>().Contains(address, StringComparison.Ordinal))!;
}
