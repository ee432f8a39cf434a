using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentRecoveryTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddHours(3);

    private static readonly PostIncidentReview Review =
        new("HMI encrypted", "phishing mail", "manual control", "train staff", ["awareness advisory"], default, "");

    [Fact]
    public void RestorationIsRecordedPerStakeholderAndSaysWhoIsLeft()
    {
        var restored = IncidentRecovery.SetRestoration(Triaged("aquaworks"), "gridco", true, "automatic control back", Callers.Operator("gridco"), Later);

        Assert.Equal([new Restoration("gridco", true, Later, "soc@gridco", "automatic control back")], restored.Restorations);
        Assert.Equal(["aquaworks"], restored.Unrestored());
        Assert.Equal(("restoration", "gridco restored: automatic control back; still to restore: aquaworks"),
            (restored.Timeline[^1].Kind, restored.Timeline[^1].Summary));
    }

    [Fact]
    public void ALaterReportOfTheSameStakeholderReplacesTheEarlierOne()
    {
        var once = IncidentRecovery.SetRestoration(Triaged(), "gridco", true, "", Callers.Operator("gridco"), Later);

        var again = IncidentRecovery.SetRestoration(once, "gridco", false, "relapsed", Callers.Analyst, Later.AddHours(1));

        Assert.Equal([("gridco", false, true)], again.Restorations.Select(r => (r.StakeholderId, r.Restored, r.OnBehalf)));
        Assert.Equal("gridco not restored (recorded by ana on its behalf): relapsed; still to restore: gridco", again.Timeline[^1].Summary);
    }

    [Fact]
    public void EveryStakeholderRestoredIsSaid()
    {
        var restored = IncidentRecovery.SetRestoration(Triaged(), "gridco", true, "", Callers.Operator("gridco"), Later);

        Assert.EndsWith("; every affected stakeholder is restored", restored.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOperatorReportsOnlyItsOwnRestoration()
    {
        var refused = Assert.Throws<CirtException>(() =>
            IncidentRecovery.SetRestoration(Triaged("aquaworks"), "aquaworks", true, "", Callers.Operator("gridco"), Later));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.Equal("Your organisation reports its own restoration (gridco), not aquaworks's.", refused.Message);
    }

    [Fact]
    public void AnAnalystDoesNotRecordAnotherOrganisationRestoredSoTheCoordinatorsOverrideKeepsItsMeaning()
    {
        var refused = Assert.Throws<CirtException>(() =>
            IncidentRecovery.SetRestoration(Triaged("aquaworks"), "aquaworks", true, "they said so on the phone", Callers.Analyst, Later));

        Assert.Equal(CirtErrorKind.PermissionDenied, refused.Kind);
        Assert.StartsWith("Only aquaworks itself, or a coordinator on its behalf, records that it is restored", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACoordinatorRecordsAnOrganisationRestoredOnItsBehalfWithAReasonAndTheRecordSaysSo()
    {
        var withoutReason = Assert.Throws<CirtException>(() =>
            IncidentRecovery.SetRestoration(Triaged("aquaworks"), "aquaworks", true, " ", Callers.Coordinator, Later));
        Assert.Equal((CirtErrorKind.InvalidArgument, "note"), (withoutReason.Kind, withoutReason.Field));

        var restored = IncidentRecovery.SetRestoration(Triaged("aquaworks"), "aquaworks", true, "confirmed by their CISO by phone", Callers.Coordinator, Later);

        Assert.Equal([new Restoration("aquaworks", true, Later, "marie", "confirmed by their CISO by phone", OnBehalf: true)], restored.Restorations);
        Assert.Equal("aquaworks restored (recorded by marie on its behalf): confirmed by their CISO by phone; still to restore: gridco", restored.Timeline[^1].Summary);
    }

    [Fact]
    public void OnAnOrganisationsBehalfAnAnalystRecordsItNotRestored()
    {
        var recorded = IncidentRecovery.SetRestoration(Triaged("aquaworks"), "aquaworks", false, "", Callers.Analyst, Later);

        Assert.Equal([("aquaworks", false, "ana", true)], recorded.Restorations.Select(r => (r.StakeholderId, r.Restored, r.By, r.OnBehalf)));
    }

    [Fact]
    public void OnlyAnAffectedStakeholdersRestorationIsRecorded()
    {
        var refused = Assert.Throws<CirtException>(() => IncidentRecovery.SetRestoration(Triaged(), "firstbank", true, "by phone", Callers.Coordinator, Later));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "stakeholder_id"), (refused.Kind, refused.Field));
        Assert.Contains("not among the stakeholders affected", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IncidentStatus.Reported)]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Closed)]
    public void RestorationIsRecordedOnlyWhileTheIncidentIsWorked(IncidentStatus status)
    {
        var refused = Assert.Throws<CirtException>(() =>
            IncidentRecovery.SetRestoration(Triaged() with { Status = status }, "gridco", true, "", Callers.Operator("gridco"), Later));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "tracking_id"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void AReviewIsRecordedByWhoeverRecordsItWhenTheyDo()
    {
        var resolved = MovedTo(Triaged(), IncidentStatus.Resolved);

        var reviewed = IncidentRecovery.RecordReview(resolved, Review with { RecordedBy = "forged" }, resolved.Version, "ana", Later.AddDays(1));

        Assert.Equal(("phishing mail", "ana", Later.AddDays(1)), (reviewed.Review!.RootCause, reviewed.Review.RecordedBy, reviewed.Review.RecordedAt));
        Assert.Equal(("reviewed", "Post-incident review recorded: root cause: phishing mail; 1 follow-up action(s)"),
            (reviewed.Timeline[^1].Kind, reviewed.Timeline[^1].Summary));
    }

    [Fact]
    public void ASecondReviewRevisesTheFirst()
    {
        var reviewed = IncidentRecovery.RecordReview(MovedTo(Triaged(), IncidentStatus.Resolved), Review, 0, "ana", Later.AddDays(1));

        var revised = IncidentRecovery.RecordReview(reviewed, Review with { FollowUpActions = [] }, 0, "ben", Later.AddDays(2));

        Assert.Equal("Post-incident review revised: root cause: phishing mail; no follow-up actions", revised.Timeline[^1].Summary);
    }

    [Theory]
    [InlineData(IncidentStatus.Triaged)]
    [InlineData(IncidentStatus.Responding)]
    [InlineData(IncidentStatus.Closed)]
    public void AReviewIsRecordedOnlyOnceTheIncidentIsRecoveringOrResolved(IncidentStatus status)
    {
        var refused = Assert.Throws<CirtException>(() => IncidentRecovery.RecordReview(Triaged() with { Status = status }, Review, 0, "ana", Later));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "tracking_id"), (refused.Kind, refused.Field));
        Assert.Contains("recovering or resolved", refused.Message, StringComparison.Ordinal);
    }
}
