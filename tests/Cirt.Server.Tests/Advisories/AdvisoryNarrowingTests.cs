using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Advisories;

/// <summary>
/// An advisory's content reaches only its current recipients: narrowing it (fewer recipients, a
/// stricter TLP) must not show the new text to the organisations taken off it, who keep what they
/// were sent, marked withdrawn for them; and it names its incident only to those who may see it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AdvisoryNarrowingTests(ServerFixture server)
{
    private static AdvisoryContent PhishingWave() => new()
    {
        Title = "Phishing wave against utilities and banks",
        Summary = "Lures imitating the national grid regulator.",
        RecommendedActions = { "Block the sender domain" },
        Tlp = Tlp.Green,
        TargetStakeholders = { "gridco", "firstbank" },
    };

    private static AdvisoryContent SwiftCompromise() => new()
    {
        Title = "FirstBank: compromised SWIFT operator account",
        Summary = "The operator account svc-swift-02 is in attacker hands; rotate it now.",
        RecommendedActions = { "Rotate svc-swift-02" },
        Tlp = Tlp.AmberStrict,
        TargetStakeholders = { "firstbank" },
    };

    [Fact]
    public async Task ARecipientTakenOffAnAdvisoryDoesNotSeeItsNewContentButKeepsWhatItWasSentMarkedWithdrawn()
    {
        var coordinator = server.Advisories();
        var gridco = server.Advisories(server.GridcoKey);
        var firstbank = server.Advisories(await server.IssueKeyAsync("fb-narrowing", Role.Operator, "firstbank"));
        var draft = (await coordinator.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = PhishingWave() })).Advisory;
        var published = (await coordinator.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version })).Advisory;
        await gridco.AcknowledgeAdvisoryAsync(new AcknowledgeAdvisoryRequest { Id = draft.Id });

        var narrowed = (await coordinator.UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = draft.Id, ExpectedVersion = published.Version, Content = SwiftCompromise() })).Advisory;

        // The coordinator sees the new content, FirstBank as its only recipient, and GridCo taken off.
        Assert.Equal("FirstBank: compromised SWIFT operator account", narrowed.Content.Title);
        Assert.Equal(["firstbank"], narrowed.Recipients.Select(r => r.StakeholderId));
        var takenOff = Assert.Single(narrowed.FormerRecipients);
        Assert.Equal(("gridco", published.Version, narrowed.UpdatedBy), (takenOff.StakeholderId, takenOff.LastVersion, takenOff.RemovedBy));
        Assert.NotNull(takenOff.AcknowledgedAt);
        var forBank = (await firstbank.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.Equal(("FirstBank: compromised SWIFT operator account", Tlp.AmberStrict, AdvisoryStatus.Published), (forBank.Content.Title, forBank.Content.Tlp, forBank.Status));
        Assert.Empty(forBank.FormerRecipients);

        // GridCo sees none of it, by id or in its list: only the version it was sent, withdrawn for it.
        var forGridco = (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        var listed = (await gridco.ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Single(a => a.Id == draft.Id);
        foreach (var seen in new[] { forGridco, listed })
        {
            Assert.Equal(("Phishing wave against utilities and banks", "Lures imitating the national grid regulator.", Tlp.Green),
                (seen.Content.Title, seen.Content.Summary, seen.Content.Tlp));
            Assert.Equal(["Block the sender domain"], seen.Content.RecommendedActions);
            Assert.Equal(published.Version, seen.Version);
            Assert.Equal(AdvisoryStatus.Withdrawn, seen.Status);
            Assert.Equal(takenOff.RemovedAt, seen.WithdrawnAt);
            Assert.Contains("no longer addressed to your organisation", seen.WithdrawReason, StringComparison.Ordinal);
            Assert.Empty(seen.Recipients);
            Assert.Equal(["gridco"], seen.FormerRecipients.Select(f => f.StakeholderId));
            Assert.DoesNotContain("SWIFT", seen.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("firstbank", seen.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain((await gridco.ListAdvisoriesAsync(new ListAdvisoriesRequest { Status = AdvisoryStatus.Published })).Advisories, a => a.Id == draft.Id);
        Assert.DoesNotContain((await gridco.ListAdvisoriesAsync(new ListAdvisoriesRequest { UnacknowledgedOnly = true })).Advisories, a => a.Id == draft.Id);
        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => gridco.AcknowledgeAdvisoryAsync(new AcknowledgeAdvisoryRequest { Id = draft.Id }).ResponseAsync);
        Assert.Contains("no longer addressed to your organisation", refused.Status.Detail, StringComparison.Ordinal);

        // Later updates do not reach GridCo either; named again, it gets the advisory as it is then.
        var later = SwiftCompromise();
        later.Summary = "Second account svc-swift-03 also compromised.";
        var updated = (await coordinator.UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = draft.Id, Content = later })).Advisory;
        Assert.Equal(published.Version, (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory.Version);
        var widened = SwiftCompromise();
        widened.Tlp = Tlp.Amber;
        widened.TargetStakeholders.Add("gridco");
        var again = (await coordinator.UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = draft.Id, ExpectedVersion = updated.Version, Content = widened })).Advisory;
        Assert.Empty(again.FormerRecipients);
        var readded = (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.Equal((AdvisoryStatus.Published, again.Version, "FirstBank: compromised SWIFT operator account"), (readded.Status, readded.Version, readded.Content.Title));
        Assert.Null(readded.Recipients.Single().AcknowledgedAt);
    }

    [Fact]
    public async Task AnOrganisationTakenOffAnAdvisoryGetsNoInboxItemForItsNewContent()
    {
        var aquaworks = await server.IssueKeyAsync("aqua-narrowing", Role.Operator, "aquaworks");
        var content = PhishingWave();
        content.TargetStakeholders.Clear();
        content.TargetStakeholders.Add("aquaworks");
        content.TargetStakeholders.Add("firstbank");
        var draft = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = content })).Advisory;
        await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id });
        await server.Advisories().UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = draft.Id, Content = SwiftCompromise() });
        // A marker published after the narrowing: once it is in the inbox, the narrowed advisory would have been too.
        var marker = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest
        {
            Content = new AdvisoryContent { Title = "Marker for AquaWorks", Summary = "s", Tlp = Tlp.Green, TargetStakeholders = { "aquaworks" } },
        })).Advisory;
        await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = marker.Id });

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = new InboxService.InboxServiceClient(server.Invoker(aquaworks)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        var seen = new List<InboxItem>();
        while (await call.ResponseStream.MoveNext(cancel.Token))
        {
            seen.Add(call.ResponseStream.Current.Item);
            if (call.ResponseStream.Current.Item.Kind == InboxItemKind.Live)
            {
                break;
            }
        }

        Assert.Contains(seen, i => i.AdvisoryId == marker.Id);
        Assert.DoesNotContain(seen, i => i.AdvisoryId == draft.Id);
        Assert.DoesNotContain(seen, i => i.Summary.Contains("SWIFT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdvisoryNamesItsIncidentOnlyToRecipientsWhoMaySeeThatIncident()
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.AmberStrict;
        var strict = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        var content = PhishingWave();
        content.IncidentTrackingId = strict;
        var draft = (await server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = content })).Advisory;
        await server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id });
        var firstbank = server.Advisories(await server.IssueKeyAsync("fb-linked", Role.Operator, "firstbank"));

        var forGridco = (await server.Advisories(server.GridcoKey).GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        var forBank = (await firstbank.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        var listedForBank = (await firstbank.ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Single(a => a.Id == draft.Id);

        Assert.Equal(strict, forGridco.Content.IncidentTrackingId);
        Assert.Equal(strict, (await server.Advisories().GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory.Content.IncidentTrackingId);
        Assert.Equal(("", ""), (forBank.Content.IncidentTrackingId, listedForBank.Content.IncidentTrackingId));
        Assert.Equal(content.Title, forBank.Content.Title);
    }
}
