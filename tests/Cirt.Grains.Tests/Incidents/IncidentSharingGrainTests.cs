using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using Cirt.Grains.Tests.Advisories;
using Cirt.Grains.Tests.Cluster;
using Cirt.Grains.Tests.Partners;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>
/// What the incident grain adds to the sharing rules: what a change owes partners is stored with it,
/// handed to the outbox once, and what came of it recorded; the mark outlives a failing outbox.
/// Foreign incidents arrive under one tracking id of ours per origin item, seen by CIRT staff only.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class IncidentSharingGrainTests(CirtClusterFixture cluster)
{
    private static readonly Principal Analyst = Callers.Analyst;

    private static readonly PartnerIncident GermanIncident = new(
        "Wiper on substation controllers", "malicious-code", "infected-system", Severity.High, Tlp.Amber, IncidentStatus.Responding,
        ["ENERGY"], [new Observable(ObservableType.Domain, "update-grid.example", "C2")], [], [], DateTimeOffset.UtcNow.AddDays(-1));

    /// <summary>A partner registered under a fresh id, its agreement allowing incidents.</summary>
    private async Task<string> PartnerAsync()
    {
        var id = "cirt-" + Guid.NewGuid().ToString("N")[..12];
        var agreement = PartnerRulesTests.Agreement(Tlp.Amber) with { Kinds = [SharedItemKind.Advisory, SharedItemKind.Incident] };
        await cluster.Grains.GetGrain<IPartnerGrain>(id).RegisterAsync(
            new PartnerRegistration("CERT Example", "DE", "https://cirt.example.de:5080", PartnerRulesTests.NewKeyPem(), "cirt_0123456789abcdef_secret", agreement), "carol");
        return id;
    }

    private async Task<IIncidentGrain> TriagedAsync()
    {
        var reported = await cluster.SubmitAsync(Reports.From("gridco"));
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(reported.TrackingId);
        await grain.TriageAsync(TestIncidents.Accept, reported.Version, Analyst);
        return grain;
    }

    private RecordingShareQueue.IncidentShareCall[] Calls(IIncidentGrain grain) => cluster.Outbox.IncidentCallsFor(grain.GetPrimaryKeyString());

    private static async Task<Incident> StoredAsync(IIncidentGrain grain) => await grain.GetAsync() ?? throw new InvalidOperationException("The incident is gone.");

    private static ItemOrigin NewOrigin(string partnerId, long version = 3) =>
        new(partnerId, "DE", "CIRT-2026-" + Random.Shared.Next(100_000, 999_999), version, [partnerId], false, partnerId);

    [Fact]
    public async Task SharingQueuesTheSummaryOnceAndAnswersWithItsMessage()
    {
        var partner = await PartnerAsync();
        var grain = await TriagedAsync();

        var shared = await grain.ShareAsync(partner, Analyst);

        var call = Assert.Single(Calls(grain));
        Assert.Equal((ShareAction.Publish, shared.Incident.Version, "ana", null), (call.Action, call.Version, call.Actor, call.FollowUp));
        Assert.Equal([partner], call.PartnerIds);
        Assert.Equal((RecordingShareQueue.MessageId(grain.GetPrimaryKeyString(), shared.Incident.Version, ShareAction.Publish, partner), OutboxState.Queued),
            (shared.Outcome.MessageId, shared.Outcome.State));
        var stored = await StoredAsync(grain);
        Assert.Empty(stored.PendingShares);
        Assert.Equal(shared.Outcome, Assert.Single(stored.PartnerShares).Outcome);

        var again = await grain.ShareAsync(partner, Analyst);

        Assert.Single(Calls(grain));
        Assert.Equal((shared.Outcome.MessageId, stored.Version), (again.Outcome.MessageId, again.Incident.Version));
    }

    [Fact]
    public async Task AnUnknownPartnerIsNotFoundAndNothingChanges()
    {
        var grain = await TriagedAsync();
        var before = await StoredAsync(grain);

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.ShareAsync("cirt-nowhere", Analyst));

        Assert.Equal((CirtErrorKind.NotFound, "partner_id"), (refused.Kind, refused.Field));
        Assert.Equal(before.Version, (await StoredAsync(grain)).Version);
    }

    [Fact]
    public async Task ATlpRedIncidentIsRefusedBeforeAnythingIsStored()
    {
        var reported = await cluster.SubmitAsync(Reports.From("gridco") with { Tlp = Tlp.Red });
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(reported.TrackingId);
        var partner = await PartnerAsync();

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.ShareAsync(partner, Analyst));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("TLP:RED never leaves", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Calls(grain));
        Assert.Equal(reported.Version, (await StoredAsync(grain)).Version);
    }

    [Fact]
    public async Task WhatTheAgreementRefusesIsFailedPreconditionAndRecordedInternally()
    {
        var partner = await PartnerAsync();
        cluster.Outbox.RefuseIncidentsFor(partner, "The agreement does not cover incidents.");
        var grain = await TriagedAsync();

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.ShareAsync(partner, Analyst));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "partner_id"), (refused.Kind, refused.Field));
        Assert.Contains("The agreement does not cover incidents.", refused.Message, StringComparison.Ordinal);
        var stored = await StoredAsync(grain);
        Assert.Equal((IncidentSharing.ShareRefusedKind, TimelineVisibility.Internal), (stored.Timeline[^1].Kind, stored.Timeline[^1].Visibility));
        await grain.AddNoteAsync("Vendor patch out", Analyst, TimelineVisibility.Shared);
        Assert.Single(Calls(grain));
    }

    [Fact]
    public async Task SharedNotesAndStatusChangesFollowAndInternalNotesDoNot()
    {
        var partner = await PartnerAsync();
        var grain = await TriagedAsync();
        await grain.ShareAsync(partner, Analyst);

        await grain.AddNoteAsync("suspect: an insider", Analyst, TimelineVisibility.Internal);
        var noted = await grain.AddNoteAsync("Vendor patch out", Analyst, TimelineVisibility.Shared);
        var moved = await grain.TransitionAsync(IncidentStatus.Responding, "containment", noted.Version, Callers.Coordinator);

        var calls = Calls(grain)[1..];
        Assert.Equal([ShareAction.Note, ShareAction.Status], calls.Select(c => c.Action));
        var note = calls[0].FollowUp!;
        Assert.Equal(($"{noted.TrackingId}#{noted.Timeline[^1].Sequence}", "Vendor patch out", "ana", noted.Version), (note.Id, note.Text, note.Author, note.Version));
        var status = calls[1].FollowUp!;
        Assert.Equal((IncidentStatus.Responding, "marie", moved.Version), (status.Status, status.Author, status.Version));
        Assert.All(calls, c => Assert.Equal([partner], c.PartnerIds));
        Assert.Empty(moved.PendingShares);
    }

    [Fact]
    public async Task ANoteTheOutboxCouldNotTakeStaysOwedAndIsHandedOverOnceLater()
    {
        var partner = await PartnerAsync();
        var grain = await TriagedAsync();
        await grain.ShareAsync(partner, Analyst);
        cluster.Outbox.FailNextCallFor(grain.GetPrimaryKeyString());

        var noted = await grain.AddNoteAsync("Vendor patch out", Analyst, TimelineVisibility.Shared);

        Assert.Equal("Vendor patch out", noted.Timeline[^1].Summary);
        var owed = Assert.Single((await StoredAsync(grain)).PendingShares);
        Assert.Equal((partner, ShareAction.Note), (owed.PartnerId, owed.Action));

        var after = await grain.EnsureSharedAsync();

        Assert.Empty(after!.PendingShares);
        var notes = Calls(grain).Where(c => c.Action == ShareAction.Note).ToArray();
        Assert.Equal([true, false], notes.Select(c => c.Failed));
        Assert.Equal(notes[0].FollowUp, notes[1].FollowUp);
        Assert.Empty((await grain.EnsureSharedAsync())!.PendingShares);
        Assert.Equal(2, Calls(grain).Count(c => c.Action == ShareAction.Note));
    }

    [Fact]
    public async Task AShareTheOutboxCouldNotTakeIsUnavailableAndQueuedLater()
    {
        var partner = await PartnerAsync();
        var grain = await TriagedAsync();
        cluster.Outbox.FailNextCallFor(grain.GetPrimaryKeyString());

        await Assert.ThrowsAsync<TimeoutException>(() => grain.ShareAsync(partner, Analyst));

        var stored = await StoredAsync(grain);
        Assert.Equal(ShareAction.Publish, Assert.Single(stored.PendingShares).Action);
        var shared = await grain.ShareAsync(partner, Analyst);
        Assert.Equal(stored.Version, shared.Incident.Version);
        Assert.Equal(OutboxState.Queued, shared.Outcome.State);
        Assert.Empty((await StoredAsync(grain)).PendingShares);
    }

    [Fact]
    public async Task AForeignIncidentArrivesOnceUnderOneTrackingIdForCirtStaffOnly()
    {
        var partner = await PartnerAsync();
        var origin = NewOrigin(partner);
        var foreign = cluster.Grains.GetGrain<IForeignIncidentGrain>(ForeignIncidentGrain.KeyFor(origin.InstanceId, origin.ItemId));

        var received = await foreign.ReceiveAsync(GermanIncident, origin);
        var resent = await foreign.ReceiveAsync(GermanIncident, origin);

        Assert.Equal((received.TrackingId, received.Version), (resent.TrackingId, resent.Version));
        Assert.Equal(received.TrackingId, await foreign.GetTrackingIdAsync());
        Assert.True(TrackingIds.IsValid(received.TrackingId));
        Assert.Equal((IncidentOrigins.Partner, IncidentStatus.Reported), (received.Origin, received.Status));
        Assert.Equivalent(origin, received.PartnerOrigin, strict: true);
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(received.TrackingId);
        Assert.Equal(received.TrackingId, (await grain.GetVisibleAsync(Analyst)).TrackingId);
        var hidden = await Assert.ThrowsAsync<CirtException>(() => grain.GetVisibleAsync(Callers.Operator("gridco")));
        Assert.Equal(CirtErrorKind.NotFound, hidden.Kind);
        var row = (await cluster.Queue.QueryAsync(IncidentQuery.All(500))).Page.Single(s => s.TrackingId == received.TrackingId);
        Assert.Equal(partner, row.OriginInstanceId);

        var updated = await foreign.ReceiveAsync(GermanIncident with { Title = "Wiper, two more sites" }, origin with { ItemVersion = 4 });
        Assert.Equal((received.TrackingId, received.Version + 1, "Wiper, two more sites"), (updated.TrackingId, updated.Version, updated.Title));
    }

    [Fact]
    public async Task APartnersNoteIsRecordedOnceAndOurNotesGoBackToTheOrigin()
    {
        var partner = await PartnerAsync();
        var origin = NewOrigin(partner);
        var received = await cluster.Grains.GetGrain<IForeignIncidentGrain>(ForeignIncidentGrain.KeyFor(origin.InstanceId, origin.ItemId)).ReceiveAsync(GermanIncident, origin);
        var grain = cluster.Grains.GetGrain<IIncidentGrain>(received.TrackingId);
        var theirs = new IncidentFollowUp(ShareAction.Note, origin.ItemId + "#9", DateTimeOffset.UtcNow, "jonas", "Same wiper at a second utility");

        var noted = await grain.ReceiveFollowUpAsync(partner, theirs);
        var again = await grain.ReceiveFollowUpAsync(partner, theirs);

        Assert.Equal(noted.Version, again.Version);
        Assert.Single(again.Timeline, e => e.Kind == IncidentSharing.PartnerNoteKind);
        Assert.Empty(Calls(grain));

        await grain.AddNoteAsync("Seen here too, at our grid operator", Analyst, TimelineVisibility.Shared);

        var call = Assert.Single(Calls(grain));
        Assert.Equal((ShareAction.Note, "Seen here too, at our grid operator"), (call.Action, call.FollowUp!.Text));
        Assert.Equal([partner], call.PartnerIds);
    }

    [Fact]
    public async Task ANoteThatArrivesBeforeItsIncidentIsRecordedOnceTheIncidentArrives()
    {
        var partner = await PartnerAsync();
        var origin = NewOrigin(partner);
        var foreign = cluster.Grains.GetGrain<IForeignIncidentGrain>(ForeignIncidentGrain.KeyFor(origin.InstanceId, origin.ItemId));
        var early = new IncidentFollowUp(ShareAction.Note, origin.ItemId + "#5", DateTimeOffset.UtcNow, "jonas", "Arrived before the incident");

        Assert.Null(await foreign.ReceiveFollowUpAsync(early));
        Assert.Null(await foreign.ReceiveFollowUpAsync(early));
        Assert.Null(await foreign.GetTrackingIdAsync());

        var received = await foreign.ReceiveAsync(GermanIncident, origin);

        Assert.Single(received.Timeline, e => e.Summary == $"Note from {partner} (jonas): Arrived before the incident");
        var later = new IncidentFollowUp(ShareAction.Status, origin.ItemId + "#6", DateTimeOffset.UtcNow, "", "responding → recovering", IncidentStatus.Recovering);
        var recorded = await foreign.ReceiveFollowUpAsync(later);
        Assert.Equal(received.Version + 1, recorded!.Version);
        Assert.Equal(received.TrackingId, recorded.TrackingId);
    }

    [Fact]
    public async Task APartnerTheIncidentIsNotSharedWithIsRefused()
    {
        var grain = await TriagedAsync();

        var refused = await Assert.ThrowsAsync<CirtException>(() =>
            grain.ReceiveFollowUpAsync("cirt-stranger", new IncidentFollowUp(ShareAction.Note, "x#1", DateTimeOffset.UtcNow, "eve", "let me in")));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
    }

    [Fact]
    public async Task LinkingRecordsTheLinkOnBothIncidents()
    {
        var ours = await TriagedAsync();
        var partner = await PartnerAsync();
        var origin = NewOrigin(partner);
        var theirs = await cluster.Grains.GetGrain<IForeignIncidentGrain>(ForeignIncidentGrain.KeyFor(origin.InstanceId, origin.ItemId)).ReceiveAsync(GermanIncident, origin);

        var linked = await ours.LinkAsync(theirs.TrackingId, Analyst);

        Assert.Equal([theirs.TrackingId], linked.LinkedTrackingIds);
        var other = await StoredAsync(cluster.Grains.GetGrain<IIncidentGrain>(theirs.TrackingId));
        Assert.Equal([ours.GetPrimaryKeyString()], other.LinkedTrackingIds);
        Assert.Equal((IncidentSharing.LinkedKind, "ana"), (other.Timeline[^1].Kind, other.Timeline[^1].Actor));
    }

    [Fact]
    public async Task LinkingToAnIncidentThatDoesNotExistChangesNothing()
    {
        var ours = await TriagedAsync();
        var before = await StoredAsync(ours);

        var refused = await Assert.ThrowsAsync<CirtException>(() => ours.LinkAsync("CIRT-2026-999999999", Analyst));

        Assert.Equal((CirtErrorKind.NotFound, "linked_tracking_id"), (refused.Kind, refused.Field));
        Assert.Equal(before.Version, (await StoredAsync(ours)).Version);
    }
}
