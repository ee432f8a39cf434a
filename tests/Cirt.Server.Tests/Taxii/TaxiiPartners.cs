using System.Security.Cryptography;
using Cirt.Contracts.V1;
using Cirt.Server.Federation;
using Cirt.Server.Tests.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Taxii;

/// <summary>
/// Partners and what is shared with them, through the public API as coordinators do it: a partner
/// registered through PartnerService (one that reads TAXII only: no endpoint of its own) with a
/// partner key issued through KeyService, and advisories created, published, updated and withdrawn
/// through AdvisoryService with that partner as partner recipient.
/// </summary>
public static class TaxiiPartners
{
    /// <summary>Advisories up to AMBER of every sector, with indicators; no personal data.</summary>
    public static SharingAgreement Agreement(Tlp maxTlp = Tlp.Amber) => new()
    {
        MaxTlp = maxTlp,
        AllSectors = true,
        Kinds = { SharedItemKind.Advisory, SharedItemKind.Incident },
        Indicators = true,
        PersonalData = PersonalDataPolicy.None,
        LegalBasis = "Memorandum of understanding between the national CIRTs, 2026",
        RetentionDays = 365,
    };

    /// <summary>Registers the partner unless it is registered already; returns a new key of role partner bound to it.</summary>
    public static async Task<string> RegisterAsync(ServerFixture server, string partnerId, SharingAgreement? agreement = null)
    {
        var listed = await server.Partners().ListPartnersAsync(new ListPartnersRequest());
        if (listed.Partners.All(p => p.Id != partnerId))
        {
            using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await server.Partners().RegisterPartnerAsync(new RegisterPartnerRequest
            {
                Id = partnerId, Name = "CERT " + partnerId, Country = "DE", PublicKey = signingKey.ExportSubjectPublicKeyInfoPem(),
                Agreement = agreement ?? Agreement(),
            });
        }

        return await server.IssueKeyAsync(partnerId + "-taxii", Role.Partner, partnerId: partnerId);
    }

    public static Task SuspendAsync(ServerFixture server, string partnerId) =>
        server.Partners().SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = partnerId, Reason = "Agreement under review" }).ResponseAsync;

    public static Task ResumeAsync(ServerFixture server, string partnerId) =>
        server.Partners().ResumePartnerAsync(new ResumePartnerRequest { PartnerId = partnerId }).ResponseAsync;

    /// <summary>Creates and publishes a GREEN advisory for ENERGY shared with <paramref name="partnerId"/>; waits for its outbox message and returns it.</summary>
    public static async Task<OutboxMessage> PublishAdvisoryAsync(
        ServerFixture server, string partnerId, string title, string indicator = "192.0.2.7", Tlp tlp = Tlp.Green,
        string summary = "A command injection in the gateways' VPN portal is exploited; patch or isolate them.")
    {
        var created = await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Content(partnerId, title, indicator, tlp, summary) });
        await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = created.Advisory.Id });
        return await MessageAsync(server, partnerId, created.Advisory.Id, OutboxAction.Publish);
    }

    /// <summary>Replaces the advisory's indicator; waits for the new version's outbox message.</summary>
    public static async Task<OutboxMessage> UpdateAdvisoryAsync(ServerFixture server, string partnerId, string advisoryId, string title, string indicator)
    {
        var updated = await server.Advisories().UpdateAdvisoryAsync(new UpdateAdvisoryRequest
        {
            Id = advisoryId, Content = Content(partnerId, title, indicator, Tlp.Green, "Updated: the exploited range has moved."),
        });
        return await MessageAsync(server, partnerId, advisoryId, OutboxAction.Publish, updated.Advisory.Version);
    }

    public static async Task<OutboxMessage> WithdrawAdvisoryAsync(ServerFixture server, string partnerId, string advisoryId)
    {
        await server.Advisories().WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = advisoryId, Reason = "Issued in error" });
        return await MessageAsync(server, partnerId, advisoryId, OutboxAction.Withdraw);
    }

    /// <summary>
    /// Puts version <paramref name="version"/> of incident <paramref name="trackingId"/> in the partner's
    /// outbox through the federation store, as the incident sharing path will (IncidentService.ShareIncident
    /// is not built yet): the payload is what the sharing policy lets leave, a redacted summary.
    /// </summary>
    public static Task<OutboxEntry> ShareIncidentAsync(ServerFixture server, string partnerId, string trackingId, long version = 1)
    {
        var payload = new FederatedPayload
        {
            Origin = new ItemOrigin { InstanceId = "cirt-local", Country = "XX", ItemId = trackingId, ItemVersion = version, Route = { "cirt-local" } },
            Kind = SharedItemKind.Incident,
            Action = OutboxAction.Publish,
            Incident = new SharedIncident
            {
                Title = "Ransomware at a grid operator",
                RsitClass = "malicious-code",
                RsitType = "infected-system",
                Severity = Severity.High,
                Tlp = Tlp.Green,
                Status = IncidentStatus.Responding,
                Sectors = { "ENERGY" },
                Indicators = { new Observable { Type = ObservableType.Domain, Value = "c2.example.net" } },
                ReportedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2)),
            },
        };
        var json = SignedJson.Canonical(payload);
        return Store(server).EnqueueAsync(new NewOutboxMessage(
            partnerId, Grains.Partners.SharedItemKind.Incident, trackingId, version, Grains.Partners.ShareAction.Publish, "", Grains.Partners.OutboxState.Queued,
            json, SignedJson.Digest(json), "[]", DateTimeOffset.UtcNow, "analyst:alice"));
    }

    /// <summary>The outbox, for what the public API cannot do to a partner that reads TAXII only (a refusal by the partner's own server).</summary>
    public static FederationStore Store(ServerFixture server) => server.Services.GetRequiredService<FederationStore>();

    /// <summary>Waits for the partner's outbox message of <paramref name="advisoryId"/> for <paramref name="action"/> (at least at <paramref name="version"/>).</summary>
    private static async Task<OutboxMessage> MessageAsync(ServerFixture server, string partnerId, string advisoryId, OutboxAction action, long version = 0)
    {
        var messages = await Eventually.ReadAsync(
            async () => (await server.Partners().ListOutboxAsync(new ListOutboxRequest { PartnerId = partnerId, PageSize = 200 })).Messages
                .Where(m => m.ItemId == advisoryId && m.Action == action && m.ItemVersion >= version).ToList(),
            found => found.Count > 0,
            $"{action} of {advisoryId} for {partnerId} not in the outbox");
        return messages.MaxBy(m => m.ItemVersion)!;
    }

    private static AdvisoryContent Content(string partnerId, string title, string indicator, Tlp tlp, string summary) => new()
    {
        Title = title,
        Summary = summary,
        Tlp = tlp,
        TargetSectors = { "ENERGY" },
        Cves = { new AffectedCve { CveId = "CVE-2024-3400", CvssScore = 10.0 } },
        Indicators = { new Observable { Type = ObservableType.IpAddress, Value = indicator } },
        RecommendedActions = { "Apply the vendor's hotfix.", "Isolate unpatched gateways." },
        PartnerRecipients = { partnerId },
    };
}
