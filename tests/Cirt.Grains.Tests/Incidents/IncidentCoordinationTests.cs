using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentCoordinationTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddHours(3);

    [Fact]
    public void AffectedStakeholdersAreAddedOnceAndToldWhenTheLabelLetsThemSee()
    {
        var added = IncidentCoordination.AddAffected(Triaged(), ["aquaworks", "gridco", "aquaworks"], "ana", Later);

        Assert.Equal(["gridco", "aquaworks"], added.AffectedStakeholderIds);
        Assert.Equal(("affected-added", "Affected stakeholder(s) added: aquaworks; they are notified"), (added.Timeline[^1].Kind, added.Timeline[^1].Summary));
    }

    [Fact]
    public void AStrictLabelKeepsAddedStakeholdersFromSeeingTheIncidentAndTheTimelineSaysSo()
    {
        var added = IncidentCoordination.AddAffected(Triaged() with { Tlp = Tlp.AmberStrict }, ["aquaworks"], "ana", Later);

        Assert.EndsWith("; at TLP:AMBER+STRICT they do not see the incident", added.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingOnlyStakeholdersAlreadyAffectedChangesNothing()
    {
        var incident = Triaged("aquaworks");

        Assert.Same(incident, IncidentCoordination.AddAffected(incident, ["aquaworks", "gridco"], "ana", Later));
    }

    [Fact]
    public void AnIncidentAffectsAtMostTheStakeholderLimit()
    {
        var many = Enumerable.Range(1, Limits.StakeholdersPerIncident - 1).Select(n => $"org-{n}").ToArray();
        var full = IncidentCoordination.AddAffected(Triaged(), many, "ana", Later);

        var refused = Assert.Throws<CirtException>(() => IncidentCoordination.AddAffected(full, ["one-more"], "ana", Later));

        Assert.Equal(Limits.StakeholdersPerIncident, full.AffectedStakeholderIds.Length);
        Assert.Equal((CirtErrorKind.FailedPrecondition, "stakeholder_ids"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void AReferralIsRecordedOnceWithTheAgencysReference()
    {
        var referred = IncidentCoordination.Refer(Triaged(), "National Police", "NP-2026-1234", "extortion", "ana", Later);

        Assert.Equal([new LawEnforcementReferral("National Police", "NP-2026-1234", Later, "ana", "extortion")], referred.Referrals);
        Assert.Equal(("referred", "Referred to National Police (their reference NP-2026-1234): extortion"), (referred.Timeline[^1].Kind, referred.Timeline[^1].Summary));
        Assert.Same(referred, IncidentCoordination.Refer(referred, "National Police", "NP-2026-1234", "again", "ben", Later));
        Assert.Equal(2, IncidentCoordination.Refer(referred, "National Police", "NP-2026-9999", "", "ben", Later).Referrals.Length);
    }
}
