using System.Security.Cryptography;
using System.Text;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Taxii;

/// <summary>
/// Partners registered through their grains, with a partner key issued through the API, and
/// messages put in their outbox through the federation store, as the sharing path leaves them there.
/// </summary>
public static class TaxiiPartners
{
    /// <summary>The instance id the test server has (Cirt:Federation:InstanceId's default).</summary>
    public const string LocalInstance = "cirt-local";

    /// <summary>
    /// Registers a partner that only reads TAXII (no endpoint) under an AMBER agreement for advisories
    /// and incidents, unless it is registered already; returns a new key of role partner bound to it.
    /// </summary>
    public static async Task<string> RegisterAsync(ServerFixture server, string partnerId, string name = "CERT Testland")
    {
        var partner = Grains(server).GetGrain<IPartnerGrain>(partnerId);
        if (await partner.GetAsync() is not null)
        {
            return await server.IssueKeyAsync(partnerId + "-taxii", Proto.Role.Partner, partnerId: partnerId);
        }

        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var agreement = new SharingAgreement(
            Cirt.Grains.Incidents.Tlp.Amber, [], AllSectors: true, [SharedItemKind.Advisory, SharedItemKind.Incident], Indicators: true,
            AffectedOrganisationNames: false, PersonalDataPolicy.None, "Memorandum of understanding, 2026", RetentionDays: 365);
        await partner.RegisterAsync(
            new PartnerRegistration(name, "DE", "", signingKey.ExportSubjectPublicKeyInfoPem(), "", agreement), "test");
        return await server.IssueKeyAsync(partnerId + "-taxii", Proto.Role.Partner, partnerId: partnerId);
    }

    public static Task SuspendAsync(ServerFixture server, string partnerId) =>
        Grains(server).GetGrain<IPartnerGrain>(partnerId).SuspendAsync("Agreement under review", "test");

    public static Task ResumeAsync(ServerFixture server, string partnerId) =>
        Grains(server).GetGrain<IPartnerGrain>(partnerId).ResumeAsync("test");

    /// <summary>Puts version <paramref name="version"/> of advisory <paramref name="advisoryId"/> in the partner's outbox.</summary>
    public static Task<OutboxEntry> PublishAdvisoryAsync(
        ServerFixture server, string partnerId, string advisoryId, long version = 1, OutboxState state = OutboxState.Queued, string? indicator = null)
    {
        var payload = new Proto.FederatedPayload
        {
            Origin = Origin(advisoryId, version),
            Kind = Proto.SharedItemKind.Advisory,
            Action = Proto.OutboxAction.Publish,
            Advisory = new Proto.SharedAdvisory
            {
                Title = $"Edge gateways exploited ({advisoryId} v{version})",
                Summary = "A command injection in the gateways' VPN portal is exploited; patch or isolate them.",
                Tlp = Proto.Tlp.Green,
                PublishedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero)),
                Cves = { new Proto.AffectedCve { CveId = "CVE-2024-3400", CvssScore = 10.0, Severity = Proto.Severity.Critical } },
                Indicators = { new Proto.Observable { Type = Proto.ObservableType.IpAddress, Value = indicator ?? "192.0.2.7" } },
                RecommendedActions = { "Apply the vendor's hotfix.", "Isolate unpatched gateways." },
                Sectors = { "energy" },
            },
        };
        return EnqueueAsync(server, partnerId, advisoryId, version, ShareAction.Publish, state, payload);
    }

    /// <summary>Puts the withdrawal of advisory <paramref name="advisoryId"/> (at <paramref name="version"/>) in the partner's outbox.</summary>
    public static Task<OutboxEntry> WithdrawAdvisoryAsync(ServerFixture server, string partnerId, string advisoryId, long version)
    {
        var payload = new Proto.FederatedPayload
        {
            Origin = Origin(advisoryId, version),
            Kind = Proto.SharedItemKind.Advisory,
            Action = Proto.OutboxAction.Withdraw,
            Withdrawal = new Proto.SharedWithdrawal { Reason = "Issued in error", WithdrawnAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
        };
        return EnqueueAsync(server, partnerId, advisoryId, version, ShareAction.Withdraw, OutboxState.Queued, payload);
    }

    public static FederationStore Store(ServerFixture server) => server.Services.GetRequiredService<FederationStore>();

    private static async Task<OutboxEntry> EnqueueAsync(
        ServerFixture server, string partnerId, string itemId, long version, ShareAction action, OutboxState state, Proto.FederatedPayload payload)
    {
        var json = JsonFormatter.Default.Format(payload);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        return await Store(server).EnqueueAsync(new NewOutboxMessage(
            partnerId, SharedItemKind.Advisory, itemId, version, action, "", state, json, digest, "[]", DateTimeOffset.UtcNow, "test"));
    }

    private static Proto.ItemOrigin Origin(string itemId, long version) =>
        new() { InstanceId = LocalInstance, Country = "XX", ItemId = itemId, ItemVersion = version, Route = { LocalInstance } };

    private static IGrainFactory Grains(ServerFixture server) => server.Services.GetRequiredService<IGrainFactory>();
}
