using Cirt.Grains.Incidents;
using Cirt.Grains.Sectors;

namespace Cirt.Grains.Tests.Sectors;

public sealed class AlertLevelTests
{
    [Theory]
    [InlineData(0, 0, 0, 0, 1)]
    [InlineData(0, 0, 0, 3, 2)]
    [InlineData(0, 0, 4, 4, 2)]
    [InlineData(0, 0, 5, 5, 3)]
    [InlineData(0, 1, 0, 1, 3)]
    [InlineData(0, 3, 0, 3, 4)]
    [InlineData(1, 0, 0, 1, 4)]
    [InlineData(2, 0, 0, 2, 5)]
    public void TheLevelFollowsTheDocumentedRule(int critical, int high, int medium, int total, int expected) =>
        Assert.Equal(expected, AlertLevel.Derive(critical, high, medium, total).Level);

    [Fact]
    public void AManualLevelRaisesButNeverLowersTheDerivedOne()
    {
        var derived = AlertLevel.Derive(1, 0, 0, 1);
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

        var raised = AlertLevel.Effective(derived, new ManualAlert(5, "campaign against grid operators", at, "marie"));
        var lower = AlertLevel.Effective(derived, new ManualAlert(2, "calm", at, "marie"));

        Assert.Equal((5, "raised by marie: campaign against grid operators (derived: 4, an open critical incident)"), raised);
        Assert.Equal(derived, lower);
    }

    [Theory]
    [InlineData(IncidentStatus.Reported, false)]
    [InlineData(IncidentStatus.Triaged, true)]
    [InlineData(IncidentStatus.Responding, true)]
    [InlineData(IncidentStatus.Recovering, true)]
    [InlineData(IncidentStatus.Resolved, false)]
    [InlineData(IncidentStatus.Closed, false)]
    [InlineData(IncidentStatus.Rejected, false)]
    [InlineData(IncidentStatus.Duplicate, false)]
    public void OnlyOpenIncidentsACirtAnalystHasTriagedCount(IncidentStatus status, bool counts)
    {
        Assert.Equal(counts, AlertLevel.Counts(status));
        Assert.Equal(counts, AlertLevel.CountedStatuses.Contains(status));
    }

    [Fact]
    public void ReportsAwaitingTriageRaiseNothingAndTheBasisSaysSo()
    {
        Assert.Equal((1, "no triaged open incidents; 2 reported incident(s) awaiting triage, not counted until triaged"), AlertLevel.Derive(0, 0, 0, 0, awaitingTriage: 2));
        Assert.Equal((4, "an open critical incident; 1 reported incident(s) awaiting triage, not counted until triaged"), AlertLevel.Derive(1, 0, 0, 1, awaitingTriage: 1));
        Assert.Equal((1, "no open incidents"), AlertLevel.Derive(0, 0, 0, 0));
    }
}
