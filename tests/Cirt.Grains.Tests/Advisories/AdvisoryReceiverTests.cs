using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Tests.Cluster;
using Cirt.Server.Advisories;
using Cirt.Server.Federation;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// The server's advisory receiver (what FederationService/Deliver calls once a message is verified),
/// on the test cluster's grains, as instance cirt-fr: what a partner's payload becomes here, and what
/// it refuses.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class AdvisoryReceiverTests(CirtClusterFixture cluster)
{
    private readonly AdvisoryReceiver _receiver = new(
        cluster.Grains, CirtClock.SystemClock, Options.Create(new FederationOptions { InstanceId = "cirt-fr", Country = "FR" }), NullLogger<AdvisoryReceiver>.Instance);

    private readonly string _itemId = "ADV-2026-" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Proto.FederatedPayload Published(long version = 1, string title = "Edge VPN appliance exploited", params string[] route)
    {
        var payload = new Proto.FederatedPayload
        {
            Origin = Origin(version, route),
            Kind = Proto.SharedItemKind.Advisory,
            Action = Proto.OutboxAction.Publish,
            Advisory = new Proto.SharedAdvisory
            {
                Title = title,
                Summary = "Patch the appliance now and hunt for web shells.",
                Tlp = Proto.Tlp.Green,
                PublishedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)),
                Sectors = { "ENERGY", "NOT_A_SECTOR_HERE", "lower case" },
                AffectedOrganisations = { "stadtwerke-nord" },
                RecommendedActions = { "Upgrade to 9.5" },
                Cves = { new Proto.AffectedCve { CveId = "CVE-2026-12345", CvssScore = 9.8 } },
            },
        };
        return payload;
    }

    private Proto.ItemOrigin Origin(long version, string[] route) => new()
    {
        InstanceId = "cirt-de", Country = "DE", ItemId = _itemId, ItemVersion = version, Route = { route.Length == 0 ? ["cirt-de"] : route },
    };

    private async Task<Advisory> HeldAsync()
    {
        var id = await cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).ReceivedIdAsync("cirt-de", _itemId, DateTimeOffset.UtcNow.Year);
        return await cluster.Grains.GetGrain<IAdvisoryGrain>(id).GetAsync() ?? throw new InvalidOperationException("Nothing was received.");
    }

    private Task<CirtException> RefusedAsync(Proto.FederatedPayload payload, string sender = "cirt-de") =>
        Assert.ThrowsAsync<CirtException>(() => _receiver.ApplyAsync(payload, sender, CancellationToken.None));

    [Fact]
    public async Task APartnersAdvisoryBecomesADraftWithItsOriginAndOurSectorsOnlyAndAResendChangesNothing()
    {
        await _receiver.ApplyAsync(Published(), "cirt-de", CancellationToken.None);
        var first = await HeldAsync();
        await _receiver.ApplyAsync(Published(), "cirt-de", CancellationToken.None);

        Assert.Equal((AdvisoryStatus.Draft, "Edge VPN appliance exploited", 1L), (first.Status, first.Content.Title, first.Version));
        Assert.Equal(("cirt-de", "DE", _itemId, 1L, "cirt-de"), (first.Origin!.InstanceId, first.Origin.Country, first.Origin.ItemId, first.Origin.ItemVersion, first.Origin.ReceivedFrom));
        Assert.Equal(["ENERGY"], first.Content.TargetSectors);
        Assert.Empty(first.Content.TargetStakeholders);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), first.OriginPublishedAt);
        Assert.Equivalent(first, await HeldAsync(), strict: true);
    }

    [Fact]
    public async Task TheOriginsUpdateAndWithdrawalFollow()
    {
        await _receiver.ApplyAsync(Published(), "cirt-de", CancellationToken.None);
        await _receiver.ApplyAsync(Published(2, "Edge VPN appliance exploited: patch out"), "cirt-de", CancellationToken.None);
        var updated = await HeldAsync();
        var withdrawal = new Proto.FederatedPayload
        {
            Origin = Origin(3, []), Kind = Proto.SharedItemKind.Advisory, Action = Proto.OutboxAction.Withdraw,
            Withdrawal = new Proto.SharedWithdrawal { Reason = "Superseded by the vendor's advisory", WithdrawnAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
        };

        await _receiver.ApplyAsync(withdrawal, "cirt-de", CancellationToken.None);
        var withdrawn = await HeldAsync();

        Assert.Equal(("Edge VPN appliance exploited: patch out", 2L), (updated.Content.Title, updated.Origin!.ItemVersion));
        Assert.Equal(AdvisoryStatus.Withdrawn, withdrawn.Status);
        Assert.EndsWith("Superseded by the vendor's advisory", withdrawn.WithdrawReason);
    }

    [Fact]
    public async Task AnAdvisoryThatAlreadyPassedThroughUsIsALoop()
    {
        var refused = await RefusedAsync(Published(1, "Back again", "cirt-de", "cirt-fr", "cirt-nl"), "cirt-nl");

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.Contains("already passed through cirt-fr", refused.Message);
    }

    [Fact]
    public async Task APartnerCannotPassOnAnAdvisoryAsIfItCameFromElsewhere()
    {
        // cirt-nl sends an item whose route says it came straight from cirt-de.
        var refused = await RefusedAsync(Published(), "cirt-nl");

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.Contains("cirt-nl sent it", refused.Message);
    }

    [Fact]
    public async Task AMalformedAdvisoryIsRefusedNamingWhatIsWrongAndNothingIsHeld()
    {
        var untitled = Published(title: "");
        var mismatched = Published();
        mismatched.Action = Proto.OutboxAction.Withdraw;
        var badOrigin = Published();
        badOrigin.Origin.ItemVersion = 0;

        var noTitle = await RefusedAsync(untitled);
        var wrongAction = await RefusedAsync(mismatched);
        var noVersion = await RefusedAsync(badOrigin);

        Assert.Equal((CirtErrorKind.InvalidArgument, "advisory"), (noTitle.Kind, noTitle.Field));
        Assert.Contains("advisory.title: is required", noTitle.Message);
        Assert.Equal((CirtErrorKind.InvalidArgument, "action"), (wrongAction.Kind, wrongAction.Field));
        Assert.Equal((CirtErrorKind.InvalidArgument, "origin.item_version"), (noVersion.Kind, noVersion.Field));
        var received = await cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).ListReceivedAsync();
        var held = await Task.WhenAll(received.Select(id => cluster.Grains.GetGrain<IAdvisoryGrain>(id).GetAsync()));
        Assert.DoesNotContain(held, a => a?.Origin?.ItemId == _itemId);
    }
}
