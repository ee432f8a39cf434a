using Cirt.Grains.Common;
using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentLifecycleTests
{
    /// <summary>Every plain transition the CIRT allows; everything else must be refused.</summary>
    private static readonly HashSet<(IncidentStatus From, IncidentStatus To)> Legal =
    [
        (IncidentStatus.Triaged, IncidentStatus.Responding),
        (IncidentStatus.Triaged, IncidentStatus.Resolved),
        (IncidentStatus.Responding, IncidentStatus.Recovering),
        (IncidentStatus.Responding, IncidentStatus.Resolved),
        (IncidentStatus.Recovering, IncidentStatus.Resolved),
        (IncidentStatus.Recovering, IncidentStatus.Responding),
        (IncidentStatus.Resolved, IncidentStatus.Closed),
        (IncidentStatus.Resolved, IncidentStatus.Responding),
        (IncidentStatus.Rejected, IncidentStatus.Reported),
        (IncidentStatus.Duplicate, IncidentStatus.Reported),
    ];

    private static readonly IncidentStatus[] TriageOutcomes =
        [IncidentStatus.Triaged, IncidentStatus.Rejected, IncidentStatus.Duplicate];

    public static TheoryData<IncidentStatus, IncidentStatus, bool> EveryPairOfStatuses()
    {
        var data = new TheoryData<IncidentStatus, IncidentStatus, bool>();
        foreach (var from in Enum.GetValues<IncidentStatus>())
        {
            foreach (var to in Enum.GetValues<IncidentStatus>())
            {
                data.Add(from, to, Legal.Contains((from, to)));
            }
        }

        return data;
    }

    public static TheoryData<IncidentStatus, IncidentStatus> EveryStatusToEveryTriageOutcome()
    {
        var data = new TheoryData<IncidentStatus, IncidentStatus>();
        foreach (var from in Enum.GetValues<IncidentStatus>())
        {
            foreach (var outcome in TriageOutcomes)
            {
                data.Add(from, outcome);
            }
        }

        return data;
    }

    public static TheoryData<IncidentStatus> EveryStatus() => new(Enum.GetValues<IncidentStatus>());

    [Theory]
    [MemberData(nameof(EveryPairOfStatuses))]
    public void TransitionIsAcceptedExactlyWhenTheLifecycleAllowsIt(IncidentStatus from, IncidentStatus to, bool legal)
    {
        var refusal = IncidentLifecycle.RefuseTransition(from, to);

        Assert.Equal(legal, refusal is null);
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void TransitionsFromAStatusListExactlyItsLegalTargets(IncidentStatus from)
    {
        var expected = Legal.Where(t => t.From == from).Select(t => t.To).Order();

        Assert.Equal(expected, IncidentLifecycle.TransitionsFrom(from).Order());
    }

    [Theory]
    [MemberData(nameof(EveryStatusToEveryTriageOutcome))]
    public void TriageOutcomeIsNotReachableByAPlainTransition(IncidentStatus from, IncidentStatus outcome)
    {
        var refusal = IncidentLifecycle.RefuseTransition(from, outcome);

        Assert.Equal($"An incident becomes {Words.Of(outcome)} only through triage (TriageIncident), not a transition.", refusal);
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void TriageIsAllowedOnlyFromReported(IncidentStatus from)
    {
        var refusal = IncidentLifecycle.RefuseTriage(from);

        Assert.Equal(from == IncidentStatus.Reported, refusal is null);
        Assert.Equal(from == IncidentStatus.Reported, IncidentLifecycle.CanTriage(from));
    }

    [Fact]
    public void ReportedIncidentOffersTheThreeTriageOutcomes()
    {
        Assert.Equal(TriageOutcomes.Order(), IncidentLifecycle.AllowedFrom(IncidentStatus.Reported).Order());
    }

    [Fact]
    public void TriageRejectsAnIncidentAlreadyBeingRespondedTo()
    {
        var refusal = IncidentLifecycle.RefuseTriage(IncidentStatus.Responding);

        Assert.Equal(
            "Only a reported incident can be triaged; this one is responding. Legal transitions from responding: recovering, resolved.",
            refusal);
    }

    [Fact]
    public void RefusedTransitionListsTheLegalTransitions()
    {
        var refusal = IncidentLifecycle.RefuseTransition(IncidentStatus.Recovering, IncidentStatus.Closed);

        Assert.Equal("An incident cannot move from recovering to closed. Legal transitions from recovering: resolved, responding.", refusal);
    }

    [Fact]
    public void ClosedIncidentCannotGoBackToResponding()
    {
        var refusal = IncidentLifecycle.RefuseTransition(IncidentStatus.Closed, IncidentStatus.Responding);

        Assert.Equal("An incident cannot move from closed to responding. A closed incident stays closed: no transition is legal.", refusal);
    }

    [Fact]
    public void ClosedIsFinal()
    {
        Assert.Empty(IncidentLifecycle.AllowedFrom(IncidentStatus.Closed));
        Assert.Empty(IncidentLifecycle.TransitionsFrom(IncidentStatus.Closed));
    }

    [Fact]
    public void ReportedIncidentMovesOnOnlyThroughTriage()
    {
        var refusal = IncidentLifecycle.RefuseTransition(IncidentStatus.Reported, IncidentStatus.Responding);

        Assert.Equal(
            "An incident cannot move from reported to responding. A reported incident moves on only through triage: accept, reject or mark as duplicate.",
            refusal);
    }

    [Theory]
    [InlineData(IncidentStatus.Rejected)]
    [InlineData(IncidentStatus.Duplicate)]
    public void TriageDecisionCanBeReopenedToReported(IncidentStatus decided)
    {
        Assert.Null(IncidentLifecycle.RefuseTransition(decided, IncidentStatus.Reported));
        Assert.Equal([IncidentStatus.Reported], IncidentLifecycle.TransitionsFrom(decided));
    }

    [Theory]
    [InlineData(IncidentStatus.Reported, true)]
    [InlineData(IncidentStatus.Triaged, true)]
    [InlineData(IncidentStatus.Responding, true)]
    [InlineData(IncidentStatus.Recovering, true)]
    [InlineData(IncidentStatus.Resolved, false)]
    [InlineData(IncidentStatus.Closed, false)]
    [InlineData(IncidentStatus.Rejected, false)]
    [InlineData(IncidentStatus.Duplicate, false)]
    public void IncidentIsOpenWhileTheCirtStillHasWorkOnIt(IncidentStatus status, bool open)
    {
        Assert.Equal(open, IncidentLifecycle.IsOpen(status));
    }
}
