using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentTriageTests
{
    private static Incident Triage(Incident incident, TriageDecision decision, long expectedVersion = 0) =>
        IncidentTriage.Triage(incident, decision, expectedVersion, Rsit, "ana", TriagedAt);

    [Fact]
    public void AcceptingRecordsTheClassificationWhoTriagedAndWhy()
    {
        var triaged = Triage(Reported(), Accept with { Tlp = Tlp.AmberStrict, Severity = Severity.High });

        Assert.Equal(IncidentStatus.Triaged, triaged.Status);
        Assert.Equal(("malicious-code", "infected-system", Severity.High, Tlp.AmberStrict, "ben"),
            (triaged.RsitClass, triaged.RsitType, triaged.Severity, triaged.Tlp, triaged.Assignee));
        Assert.Equal((2L, TriagedAt), (triaged.Version, triaged.UpdatedAt));
        var entry = triaged.Timeline[^1];
        Assert.Equal((2, "triaged", "ana"), (entry.Sequence, entry.Kind, entry.Actor));
        Assert.Equal("Triaged as malicious-code/infected-system, severity high (reported as medium), TLP:AMBER+STRICT, assigned to ben: ransom note on the HMI", entry.Summary);
    }

    [Fact]
    public void AcceptingWithoutALabelOrAssigneeKeepsThoseOfTheReport()
    {
        var reported = Reported() with { Tlp = Tlp.Green, Assignee = "carl" };

        var triaged = Triage(reported, Accept with { Assignee = "" });

        Assert.Equal((Tlp.Green, "carl"), (triaged.Tlp, triaged.Assignee));
    }

    [Fact]
    public void TriageMeetsTheTriageDeadline()
    {
        var triaged = Triage(Reported(), Reject);

        Assert.Equal(TriagedAt, triaged.Deadlines.Single(d => d.Kind == DeadlineKind.Triage).MetAt);
    }

    [Fact]
    public void AcceptingATypeOutsideTheClassIsRefusedNamingRsitType()
    {
        var refused = Assert.Throws<CirtException>(() => Triage(Reported(), Accept with { RsitType = "phishing" }));

        Assert.Equal((CirtErrorKind.InvalidArgument, "rsit_type"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void AcceptingAnUnknownClassIsRefusedNamingRsitClass()
    {
        var refused = Assert.Throws<CirtException>(() => Triage(Reported(), Accept with { RsitClass = "" }));

        Assert.Equal((CirtErrorKind.InvalidArgument, "rsit_class"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void OnlyAReportedIncidentIsTriaged()
    {
        var refused = Assert.Throws<CirtException>(() => Triage(Triaged(), Accept));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.StartsWith("Only a reported incident can be triaged; this one is triaged.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStaleExpectedVersionIsAConflict()
    {
        var refused = Assert.Throws<CirtException>(() => Triage(Reported(), Accept, expectedVersion: 3));

        Assert.Equal((CirtErrorKind.Conflict, "expected_version"), (refused.Kind, refused.Field));
        Assert.Contains("expected version 3, it is now at version 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectingRecordsTheReason()
    {
        var rejected = Triage(Reported(), Reject);

        Assert.Equal(IncidentStatus.Rejected, rejected.Status);
        Assert.Equal(("rejected", "Rejected: not an incident"), (rejected.Timeline[^1].Kind, rejected.Timeline[^1].Summary));
    }

    [Fact]
    public void MarkingADuplicateNamesTheOriginal()
    {
        var marked = Triage(Reported(), Reject with { Outcome = TriageOutcome.Duplicate, DuplicateOf = "CIRT-2026-000007", Reason = "" });

        Assert.Equal((IncidentStatus.Duplicate, "CIRT-2026-000007"), (marked.Status, marked.DuplicateOf));
        Assert.Equal(("marked-duplicate", "Marked as duplicate of CIRT-2026-000007"), (marked.Timeline[^1].Kind, marked.Timeline[^1].Summary));
    }

    [Fact]
    public void AnIncidentCannotBeADuplicateOfItself()
    {
        var refused = Assert.Throws<CirtException>(() => Triage(Reported(), Reject with { Outcome = TriageOutcome.Duplicate, DuplicateOf = TrackingId }));

        Assert.Equal((CirtErrorKind.InvalidArgument, "duplicate_of"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void RejectingCancelsTheTasksStillOpenInTheSameVersion()
    {
        var reported = WithTask(Reported(), "Send the firewall logs");

        var rejected = Triage(reported, Reject);

        Assert.Equal(IncidentTaskStatus.Cancelled, Assert.Single(rejected.Tasks).Status);
        Assert.Equal(reported.Version + 1, rejected.Version);
        Assert.Equal(["rejected", "tasks-cancelled"], rejected.Timeline.TakeLast(2).Select(e => e.Kind));
        Assert.Contains("1. Send the firewall logs (gridco, was open)", rejected.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptingLeavesTheTasksOpen()
    {
        var triaged = Triage(WithTask(Reported(), "Send the firewall logs"), Accept);

        Assert.Equal(IncidentTaskStatus.Open, Assert.Single(triaged.Tasks).Status);
    }

    [Fact]
    public void TheOriginalRecordsItsDuplicate()
    {
        var linked = IncidentTriage.LinkDuplicate(Reported(), "CIRT-2026-000043", "ana", TriagedAt);

        Assert.Equal(("duplicate-linked", "ana"), (linked.Timeline[^1].Kind, linked.Timeline[^1].Actor));
        Assert.Equal("CIRT-2026-000043 was marked as a duplicate of this incident", linked.Timeline[^1].Summary);
    }

    [Fact]
    public void ADuplicateCannotBeTheOriginalOfAnother()
    {
        var duplicate = Triage(Reported(), Reject with { Outcome = TriageOutcome.Duplicate, DuplicateOf = "CIRT-2026-000007" });

        var refused = Assert.Throws<CirtException>(() => IncidentTriage.LinkDuplicate(duplicate, "CIRT-2026-000043", "ana", TriagedAt));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "duplicate_of"), (refused.Kind, refused.Field));
        Assert.Contains("itself a duplicate of 'CIRT-2026-000007'", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>gridco's operator names aquaworks and firstbank as affected and HEALTH and BANKING as sectors, and claims critical.</summary>
    private static Incident WithProposals() =>
        IncidentReporting.Open(
            null, TrackingId,
            Reports.From("gridco") with { AffectedStakeholderIds = ["aquaworks", "firstbank"], SectorCodes = ["HEALTH", "BANKING"], Severity = Severity.Critical },
            Cirt.Grains.Stakeholders.Nis2EntityClass.Essential, ["ENERGY"], new DeadlineOptions().TriageDeadline(Severity.Critical, ReportedAt),
            Callers.Operator("gridco"), ReportedAt);

    [Fact]
    public void AcceptingConfirmsEveryProposalWhenAskedAndTheTimelineSaysSo()
    {
        var triaged = Triage(WithProposals(), Accept with { ConfirmProposed = true });

        Assert.Equal(["gridco", "aquaworks", "firstbank"], triaged.AffectedStakeholderIds);
        Assert.Equal(["BANKING", "ENERGY", "HEALTH"], triaged.SectorCodes);
        Assert.Empty(triaged.ProposedAffectedStakeholderIds);
        Assert.Empty(triaged.ProposedSectorCodes);
        Assert.Equal(
            "Triaged as malicious-code/infected-system, severity medium (reported as critical), TLP:AMBER, assigned to ben; "
            + "proposed affected stakeholders: confirmed aquaworks, firstbank; proposed sectors: confirmed BANKING, HEALTH: ransom note on the HMI",
            triaged.Timeline[^1].Summary);
    }

    [Fact]
    public void AcceptingConfirmsTheProposalsNamedAndDeclinesTheRest()
    {
        var triaged = Triage(WithProposals(), Accept with { ConfirmStakeholderIds = ["firstbank"], ConfirmSectorCodes = ["BANKING"] });

        Assert.Equal(["gridco", "firstbank"], triaged.AffectedStakeholderIds);
        Assert.Equal(["BANKING", "ENERGY"], triaged.SectorCodes);
        Assert.Contains("proposed affected stakeholders: confirmed firstbank, declined aquaworks; proposed sectors: confirmed BANKING, declined HEALTH",
            triaged.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptingWithoutConfirmingDeclinesEveryProposal()
    {
        var triaged = Triage(WithProposals(), Accept);

        Assert.Equal(["gridco"], triaged.AffectedStakeholderIds);
        Assert.Equal(["ENERGY"], triaged.SectorCodes);
        Assert.Empty(triaged.ProposedAffectedStakeholderIds);
        Assert.Contains("proposed affected stakeholders: declined aquaworks, firstbank; proposed sectors: declined BANKING, HEALTH",
            triaged.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TriageConfirmsOnlyWhatWasProposed()
    {
        var stakeholder = Assert.Throws<CirtException>(() => Triage(WithProposals(), Accept with { ConfirmStakeholderIds = ["city-hospital"] }));
        var sector = Assert.Throws<CirtException>(() => Triage(WithProposals(), Accept with { ConfirmSectorCodes = ["SPACE"] }));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "confirm_stakeholder_ids"), (stakeholder.Kind, stakeholder.Field));
        Assert.StartsWith("Triage confirms only what the reporter proposed; not proposed as affected stakeholder: city-hospital (proposed: aquaworks, firstbank)",
            stakeholder.Message, StringComparison.Ordinal);
        Assert.Equal((CirtErrorKind.FailedPrecondition, "confirm_sector_codes"), (sector.Kind, sector.Field));
    }

    [Fact]
    public void RejectingKeepsTheProposalsForATriageAfterAReopen()
    {
        var rejected = Triage(WithProposals(), Reject);

        Assert.Equal(["aquaworks", "firstbank"], rejected.ProposedAffectedStakeholderIds);
        Assert.Equal(["gridco"], rejected.AffectedStakeholderIds);
    }

    [Fact]
    public void TheCirtsSeverityIsSetAtTriageAndTheReportersClaimIsKept()
    {
        var reported = WithProposals();
        var triaged = Triage(reported, Accept with { Severity = Severity.Low });

        Assert.Equal((Severity.Unspecified, Severity.Critical), (reported.Severity, reported.ReportedSeverity));
        Assert.Equal((Severity.Low, Severity.Critical), (triaged.Severity, triaged.ReportedSeverity));
    }

    [Fact]
    public void AnAddedStakeholderIsNoLongerAProposal()
    {
        var added = IncidentCoordination.AddAffected(WithProposals(), ["firstbank"], "ana", TriagedAt);

        Assert.Equal(["gridco", "firstbank"], added.AffectedStakeholderIds);
        Assert.Equal(["aquaworks"], added.ProposedAffectedStakeholderIds);
    }
}
