using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentSharingTests
{
    private static readonly DateTimeOffset SharedAt = TriagedAt.AddHours(1);
    private static readonly DateTimeOffset ReceivedAt = SharedAt.AddMinutes(5);

    private static readonly ItemOrigin FromGermany = new("cirt-de", "DE", "CIRT-2026-000777", 3, ["cirt-de"], false, "cirt-de");

    private static readonly PartnerIncident GermanIncident = new(
        "Wiper on substation controllers",
        "malicious-code",
        "infected-system",
        Severity.High,
        Tlp.Amber,
        IncidentStatus.Responding,
        ["ENERGY"],
        [new Observable(ObservableType.Domain, "update-grid.example", "C2")],
        ["Stadtwerke Nord"],
        [new PartnerTimelineEntry(ReportedAt, "Reported by a transmission operator"), new PartnerTimelineEntry(TriagedAt, "C2 domain blocked nationally")],
        ReportedAt);

    /// <summary>Our triaged incident shared with cirt-de by ana, its summary taken by the outbox.</summary>
    private static Incident SharedWithGermany()
    {
        var shared = IncidentSharing.Share(Triaged(), "cirt-de", "ana", SharedAt);
        return IncidentSharing.Recorded(shared, shared.PendingShares, [Queued("cirt-de", shared.Version)], SharedAt);
    }

    private static ShareOutcome Queued(string partnerId, long version) => new(partnerId, "msg-" + partnerId, OutboxState.Queued, version, "");

    private static Incident Foreign() =>
        IncidentSharing.Open("CIRT-2026-000900", GermanIncident, FromGermany, new DeadlineOptions().TriageDeadline(Severity.High, ReceivedAt), ReceivedAt);

    [Fact]
    public void SharingRecordsThePartnerOneVersionOnAndOwesItTheSummary()
    {
        var triaged = Triaged();

        var shared = IncidentSharing.Share(triaged, "cirt-de", "ana", SharedAt);

        Assert.Equal(triaged.Version + 1, shared.Version);
        Assert.Equal([new IncidentPartnerShare("cirt-de", SharedAt, "ana", shared.Version)], shared.PartnerShares);
        Assert.Equal([new IncidentPendingShare("cirt-de", ShareAction.Publish, "ana")], shared.PendingShares);
        var entry = shared.Timeline[^1];
        Assert.Equal((IncidentSharing.SharedKind, TimelineVisibility.Internal), (entry.Kind, entry.Visibility));
        Assert.StartsWith("Shared with partner cirt-de", entry.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ATlpRedIncidentNeverLeaves()
    {
        var red = Triaged() with { Tlp = Tlp.Red };

        var refused = Assert.Throws<CirtException>(() => IncidentSharing.Share(red, "cirt-de", "ana", SharedAt));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("TLP:RED never leaves", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExerciseIsNotShared()
    {
        var refused = Assert.Throws<CirtException>(() => IncidentSharing.Share(Triaged() with { Exercise = true }, "cirt-de", "ana", SharedAt));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("exercise", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AForeignIncidentIsNotPassedOn()
    {
        var refused = Assert.Throws<CirtException>(() => IncidentSharing.Share(Foreign(), "cirt-fr", "ana", SharedAt));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("only its origin shares it", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SharingTheSameVersionAgainChangesNothingAndANewerOneIsSharedAgain()
    {
        var shared = SharedWithGermany();

        Assert.Same(shared, IncidentSharing.Share(shared, "cirt-de", "ben", SharedAt.AddMinutes(1)));

        var noted = IncidentNotes.Add(shared, "Wiper confirmed on two more sites", TimelineVisibility.Internal, Callers.Analyst, SharedAt.AddMinutes(2));
        var again = IncidentSharing.Share(noted, "cirt-de", "ben", SharedAt.AddMinutes(3));
        Assert.Equal(new IncidentPartnerShare("cirt-de", SharedAt.AddMinutes(3), "ben", noted.Version + 1), Assert.Single(again.PartnerShares));
        Assert.StartsWith("Shared again with partner cirt-de", again.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentIsSharedWithAtMostFiftyPartners()
    {
        var incident = Triaged();
        for (var i = 0; i < IncidentSharing.MaxPartners; i++)
        {
            incident = IncidentSharing.Share(incident, $"cirt-{i}", "ana", SharedAt);
        }

        var refused = Assert.Throws<CirtException>(() => IncidentSharing.Share(incident, "cirt-one-more", "ana", SharedAt));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "partner_id"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void WhatTheOutboxTookIsNoLongerOwedAndARefusalIsInTheTimeline()
    {
        var shared = IncidentSharing.Share(IncidentSharing.Share(Triaged(), "cirt-de", "ana", SharedAt), "cirt-fr", "ana", SharedAt);
        var refusal = new ShareOutcome("cirt-fr", "", null, shared.Version, "The agreement with cirt-fr does not cover incidents.");

        var recorded = IncidentSharing.Recorded(shared, shared.PendingShares, [Queued("cirt-de", shared.Version), refusal], SharedAt);

        Assert.Empty(recorded.PendingShares);
        Assert.Equal(["msg-cirt-de", ""], recorded.PartnerShares.Select(s => s.Outcome!.MessageId));
        Assert.Equal(shared.Version + 1, recorded.Version);
        Assert.Equal(
            (IncidentSharing.ShareRefusedKind, TimelineVisibility.Internal, "Not shared with partner cirt-fr: The agreement with cirt-fr does not cover incidents."),
            (recorded.Timeline[^1].Kind, recorded.Timeline[^1].Visibility, recorded.Timeline[^1].Summary));
        Assert.Equal(["cirt-de"], IncidentSharing.Followers(recorded));
    }

    [Fact]
    public void WhatTheOutboxTookWithoutRefusalIsRecordedWithinTheSameVersion()
    {
        var shared = IncidentSharing.Share(Triaged(), "cirt-de", "ana", SharedAt);

        var recorded = IncidentSharing.Recorded(shared, shared.PendingShares, [Queued("cirt-de", shared.Version)], SharedAt);

        Assert.Equal((shared.Version, shared.Timeline.Length), (recorded.Version, recorded.Timeline.Length));
    }

    [Fact]
    public void ASharedNoteOfStaffIsOwedToEveryPartnerWithItsId()
    {
        var shared = IncidentSharing.Share(SharedWithGermany(), "cirt-fr", "ana", SharedAt);
        shared = IncidentSharing.Recorded(shared, shared.PendingShares, [Queued("cirt-fr", shared.Version)], SharedAt);

        var noted = IncidentNotes.Add(shared, "Patch released by the vendor", TimelineVisibility.Shared, Callers.Analyst, SharedAt.AddHours(1));
        var owed = IncidentSharing.FollowUpsOwed(shared, noted, Callers.Analyst);

        var sequence = noted.Timeline[^1].Sequence;
        Assert.Equal(
            [
                new IncidentPendingShare("cirt-de", ShareAction.Note, "ana", sequence, Version: noted.Version),
                new IncidentPendingShare("cirt-fr", ShareAction.Note, "ana", sequence, Version: noted.Version),
            ],
            owed);
        Assert.Equal(
            new IncidentFollowUp(ShareAction.Note, $"{TrackingId}#{sequence}", SharedAt.AddHours(1), "ana", "Patch released by the vendor", Version: noted.Version),
            IncidentSharing.FollowUpOf(noted, owed[0]));
    }

    [Fact]
    public void AnInternalNoteNeverLeaves()
    {
        var shared = SharedWithGermany();

        var noted = IncidentNotes.Add(shared, "suspect: an insider", TimelineVisibility.Internal, Callers.Analyst, SharedAt.AddHours(1));

        Assert.Empty(IncidentSharing.FollowUpsOwed(shared, noted, Callers.Analyst));
    }

    [Fact]
    public void AnOrganisationsNoteStaysWithTheCirt()
    {
        var shared = SharedWithGermany();

        var noted = IncidentNotes.Add(shared, "Our SOC sees the same domain", TimelineVisibility.Shared, Callers.Operator("gridco"), SharedAt.AddHours(1));

        Assert.Empty(IncidentSharing.FollowUpsOwed(shared, noted, Callers.Operator("gridco")));
    }

    [Fact]
    public void AStatusChangeIsOwedWithTheStatusAndWhatItsEntrySays()
    {
        var shared = SharedWithGermany();

        var moved = IncidentWork.Transition(shared, IncidentStatus.Responding, "containment started", 0, false, Callers.Coordinator, SharedAt.AddHours(1));
        var owed = Assert.Single(IncidentSharing.FollowUpsOwed(shared, moved, Callers.Coordinator));

        Assert.Equal(new IncidentPendingShare("cirt-de", ShareAction.Status, "marie", moved.Timeline[^1].Sequence, IncidentStatus.Responding, moved.Version), owed);
        var followUp = IncidentSharing.FollowUpOf(moved, owed)!;
        Assert.Equal((IncidentStatus.Responding, "triaged → responding: containment started"), (followUp.Status, followUp.Text));
    }

    [Fact]
    public void NothingFollowsOnceTheIncidentIsRaisedToRed()
    {
        var shared = SharedWithGermany() with { Tlp = Tlp.Red };

        var noted = IncidentNotes.Add(shared, "Attribution: state actor", TimelineVisibility.Shared, Callers.Analyst, SharedAt.AddHours(1));

        Assert.Empty(IncidentSharing.FollowUpsOwed(shared, noted, Callers.Analyst));
    }

    [Fact]
    public void NotesOnAForeignIncidentGoBackToItsOrigin()
    {
        var foreign = Foreign();

        var noted = IncidentNotes.Add(foreign, "Same domain seen at our grid operator", TimelineVisibility.Shared, Callers.Analyst, ReceivedAt.AddHours(1));

        Assert.Equal(
            [new IncidentPendingShare("cirt-de", ShareAction.Note, "ana", noted.Timeline[^1].Sequence, Version: noted.Version)],
            IncidentSharing.FollowUpsOwed(foreign, noted, Callers.Analyst));
    }

    [Fact]
    public void AForeignIncidentIsOpenedForCirtStaffOnlyAndForOurTriage()
    {
        var foreign = Foreign();

        Assert.Equal(("", [], [], IncidentStatus.Reported), (foreign.ReporterStakeholderId, foreign.AffectedStakeholderIds, foreign.SectorCodes, foreign.Status));
        Assert.Equal((IncidentOrigins.Partner, FromGermany), (foreign.Origin, foreign.PartnerOrigin));
        Assert.Equal((Severity.Unspecified, Severity.High, Tlp.Amber), (foreign.Severity, foreign.ReportedSeverity, foreign.Tlp));
        Assert.Equal(("malicious-code", "infected-system", "Wiper on substation controllers"), (foreign.RsitClass, foreign.RsitType, foreign.Title));
        Assert.Equal(GermanIncident.Indicators, foreign.Observables);
        Assert.Equal([DeadlineKind.Triage], foreign.Deadlines.Select(d => d.Kind));
        Assert.True(IncidentAccess.CanSee(Callers.Analyst, foreign));
        Assert.False(IncidentAccess.CanSee(Callers.Operator("gridco"), foreign));
        Assert.False(IncidentAccess.CanSee(Callers.Operator(""), foreign));
        Assert.Equal("cirt-de", foreign.ToSummary().OriginInstanceId);
    }

    [Fact]
    public void AForeignIncidentSaysWhereItComesFromAndHowItStandsThere()
    {
        var foreign = Foreign();

        Assert.Equal(
            "Shared by partner cirt-de as its incident CIRT-2026-000777 (its version 3): status responding there, severity high, TLP:AMBER",
            foreign.Timeline.Single().Summary);
        Assert.Contains("Affected organisations there: Stadtwerke Nord.", foreign.Description, StringComparison.Ordinal);
        Assert.Contains("Sectors there: ENERGY.", foreign.Description, StringComparison.Ordinal);
        Assert.Contains("C2 domain blocked nationally", foreign.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AForeignIncidentKeepsItsNewestTimelineEntriesWithinTheDescription()
    {
        var entries = Enumerable.Range(1, 500).Select(i => new PartnerTimelineEntry(ReportedAt.AddMinutes(i), $"entry {i}: " + new string('x', 100))).ToArray();

        var foreign = IncidentSharing.Open("CIRT-2026-000900", GermanIncident with { Timeline = entries }, FromGermany, Foreign().Deadlines[0], ReceivedAt);

        Assert.True(foreign.Description.Length <= Limits.DescriptionLength);
        Assert.Contains("entry 500:", foreign.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("entry 1:", foreign.Description, StringComparison.Ordinal);
        Assert.Contains("earlier entries left out", foreign.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ATlpRedIncidentIsRefusedOnArrival()
    {
        var refused = Assert.Throws<CirtException>(() =>
            IncidentSharing.Open("CIRT-2026-000900", GermanIncident with { Tlp = Tlp.Red }, FromGermany, Foreign().Deadlines[0], ReceivedAt));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
    }

    [Fact]
    public void ANewerVersionFromTheOriginReplacesTheSummaryAndAnOlderOneChangesNothing()
    {
        var foreign = Foreign();
        var newer = GermanIncident with
        {
            Title = "Wiper on substation controllers (two more sites)",
            Severity = Severity.Critical,
            Tlp = Tlp.Green,
            Status = IncidentStatus.Recovering,
            Indicators = [new Observable(ObservableType.IpAddress, "203.0.113.7", "")],
        };

        var updated = IncidentSharing.Update(foreign, newer, FromGermany with { ItemVersion = 5 }, ReceivedAt.AddHours(1));

        Assert.Equal(("Wiper on substation controllers (two more sites)", Severity.Critical, Tlp.Green, 5L), (updated.Title, updated.ReportedSeverity, updated.Tlp, updated.PartnerOrigin!.ItemVersion));
        Assert.Equal(["update-grid.example", "203.0.113.7"], updated.Observables.Select(o => o.Value));
        Assert.Equal(IncidentStatus.Reported, updated.Status);
        Assert.Contains("status recovering there", updated.Timeline[^1].Summary, StringComparison.Ordinal);
        Assert.Same(updated, IncidentSharing.Update(updated, GermanIncident, FromGermany with { ItemVersion = 4 }, ReceivedAt.AddHours(2)));
        Assert.Same(updated, IncidentSharing.Update(updated, newer, FromGermany with { ItemVersion = 5 }, ReceivedAt.AddHours(2)));
    }

    [Fact]
    public void OurTriageOfAForeignIncidentKeepsItsClassification()
    {
        var triaged = IncidentTriage.Triage(Foreign(), Accept with { RsitClass = "intrusions", RsitType = "system-compromise" }, 0, Rsit, "ana", ReceivedAt.AddMinutes(10));

        var updated = IncidentSharing.Update(triaged, GermanIncident, FromGermany with { ItemVersion = 4 }, ReceivedAt.AddHours(1));

        Assert.Equal(("intrusions", "system-compromise"), (updated.RsitClass, updated.RsitType));
    }

    [Fact]
    public void OnlyTheOriginReplacesAForeignIncident()
    {
        var refused = Assert.Throws<CirtException>(() =>
            IncidentSharing.Update(Foreign(), GermanIncident, FromGermany with { InstanceId = "cirt-fr", ItemVersion = 9 }, ReceivedAt));
        var ours = Assert.Throws<CirtException>(() => IncidentSharing.Update(Triaged(), GermanIncident, FromGermany, ReceivedAt));

        Assert.Equal((CirtErrorKind.PermissionDenied, CirtErrorKind.PermissionDenied), (refused.Kind, ours.Kind));
    }

    [Fact]
    public void APartnersNoteIsRecordedOncePerId()
    {
        var shared = SharedWithGermany();
        var note = new IncidentFollowUp(ShareAction.Note, "CIRT-2026-000900#4", ReceivedAt, "jonas", "Same wiper at Stadtwerke Nord");

        var noted = IncidentSharing.ReceiveFollowUp(shared, "cirt-de", note, ReceivedAt);

        Assert.Equal(shared.Version + 1, noted.Version);
        var entry = noted.Timeline[^1];
        Assert.Equal(
            (IncidentSharing.PartnerNoteKind, "partner:cirt-de", TimelineVisibility.Internal, "Note from cirt-de (jonas): Same wiper at Stadtwerke Nord"),
            (entry.Kind, entry.Actor, entry.Visibility, entry.Summary));
        Assert.Same(noted, IncidentSharing.ReceiveFollowUp(noted, "cirt-de", note, ReceivedAt.AddMinutes(1)));
        Assert.Empty(IncidentSharing.FollowUpsOwed(shared, noted, IncidentSharing.PrincipalOf("cirt-de")));
    }

    [Fact]
    public void APartnersStatusChangeIsRecordedAndOurStatusStays()
    {
        var foreign = Foreign();
        var status = new IncidentFollowUp(ShareAction.Status, "CIRT-2026-000777#12", ReceivedAt, "jonas", "responding → recovering: sites restored", IncidentStatus.Recovering);

        var recorded = IncidentSharing.ReceiveFollowUp(foreign, "cirt-de", status, ReceivedAt);

        Assert.Equal(IncidentStatus.Reported, recorded.Status);
        Assert.Equal("cirt-de: status recovering — responding → recovering: sites restored", recorded.Timeline[^1].Summary);
    }

    [Fact]
    public void APartnerTheIncidentIsNotSharedWithIsRefused()
    {
        var note = new IncidentFollowUp(ShareAction.Note, "x#1", ReceivedAt, "eve", "let me in");

        var ours = Assert.Throws<CirtException>(() => IncidentSharing.ReceiveFollowUp(SharedWithGermany(), "cirt-fr", note, ReceivedAt));
        var theirs = Assert.Throws<CirtException>(() => IncidentSharing.ReceiveFollowUp(Foreign(), "cirt-fr", note, ReceivedAt));

        Assert.Equal((CirtErrorKind.PermissionDenied, CirtErrorKind.PermissionDenied), (ours.Kind, theirs.Kind));
    }

    [Fact]
    public void ALinkIsRecordedOnceAndNeverToItself()
    {
        var linked = IncidentSharing.Link(Triaged(), "CIRT-2026-000900", "ana", SharedAt);

        Assert.Equal(["CIRT-2026-000900"], linked.LinkedTrackingIds);
        Assert.Equal((IncidentSharing.LinkedKind, TimelineVisibility.Internal, "Linked to CIRT-2026-000900"), (linked.Timeline[^1].Kind, linked.Timeline[^1].Visibility, linked.Timeline[^1].Summary));
        Assert.Same(linked, IncidentSharing.Link(linked, "CIRT-2026-000900", "ben", SharedAt.AddHours(1)));
        var self = Assert.Throws<CirtException>(() => IncidentSharing.Link(linked, TrackingId, "ana", SharedAt));
        Assert.Equal((CirtErrorKind.InvalidArgument, "linked_tracking_id"), (self.Kind, self.Field));
    }

    [Fact]
    public void NoOrganisationOfOursIsAddedToAForeignIncident()
    {
        var refused = Assert.Throws<CirtException>(() => IncidentCoordination.AddAffected(Foreign(), ["gridco"], "ana", ReceivedAt));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "stakeholder_ids"), (refused.Kind, refused.Field));
        Assert.Contains("LinkIncident", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrganisationReadsNothingOfTheExchangeWithPartners()
    {
        var linked = IncidentSharing.Link(SharedWithGermany(), "CIRT-2026-000900", "ana", SharedAt);

        var read = IncidentDisclosure.For(linked, Callers.Operator("gridco"));

        Assert.Equal((0, 0), (read.PartnerShares.Length, read.LinkedTrackingIds.Length));
        Assert.DoesNotContain(read.Timeline, e => e.Summary.Contains("cirt-de", StringComparison.Ordinal) || e.Summary.Contains("Linked", StringComparison.Ordinal));
    }

    [Fact]
    public void APartnersNotesCountAgainstItsShareOfTheTimeline()
    {
        var incident = SharedWithGermany();
        var partner = IncidentSharing.PrincipalOf("cirt-de");
        var note = (int n) => new IncidentFollowUp(ShareAction.Note, $"n{n}", ReceivedAt, "jonas", "ping");
        for (var n = 0; n < Limits.TimelineEntriesPerOrganisation; n++)
        {
            incident = IncidentBudget.Admit(incident, IncidentSharing.ReceiveFollowUp(incident, "cirt-de", note(n), ReceivedAt), partner);
        }

        var full = Assert.Throws<CirtException>(() =>
            IncidentBudget.Admit(incident, IncidentSharing.ReceiveFollowUp(incident, "cirt-de", note(-1), ReceivedAt), partner));

        Assert.Equal(CirtErrorKind.FailedPrecondition, full.Kind);
        Assert.Contains("full for partner:cirt-de", full.Message, StringComparison.Ordinal);
    }
}
