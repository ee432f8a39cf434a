using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentDeadlinesTests
{
    [Fact]
    public void NothingIsEscalatedBeforeItIsDue()
    {
        var incident = Reported(significant: true);

        var (next, escalated) = IncidentDeadlines.Escalate(incident, ReportedAt.AddHours(1));

        Assert.Same(incident, next);
        Assert.Empty(escalated);
    }

    [Fact]
    public void EachOverdueDeadlineIsEscalatedOnceWithAnEntry()
    {
        var incident = Reported(significant: true);
        var now = ReportedAt.AddHours(75);

        var (next, escalated) = IncidentDeadlines.Escalate(incident, now);

        Assert.Equal([DeadlineKind.Triage, DeadlineKind.Nis2Notification], escalated.Select(d => d.Kind));
        Assert.All(next.Deadlines.Where(d => escalated.Any(e => e.Kind == d.Kind)), d => Assert.Equal(now, d.EscalatedAt));
        Assert.Equal(incident.Version + 2, next.Version);
        Assert.Equal(
            [
                $"Triage SLA breached (triage SLA: 24 h for medium; due {ReportedAt.AddHours(24):u}, 51 h ago): escalated to the coordinators",
                $"NIS2 incident notification overdue (due {ReportedAt.AddHours(72):u}, 3 h ago): escalated to the coordinators",
            ],
            next.Timeline.Where(e => e.Kind == "escalated").Select(e => e.Summary));
        Assert.All(next.Timeline.Skip(1), e => Assert.Equal("system:deadlines", e.Actor));
        Assert.Same(next, IncidentDeadlines.Escalate(next, now.AddHours(5)).Next);
    }

    [Fact]
    public void ARejectedIncidentIsNeitherEscalatedNorWatched()
    {
        var rejected = IncidentTriage.Triage(Reported(significant: true), Reject, 0, Rsit, "ana", TriagedAt);

        Assert.Same(rejected, IncidentDeadlines.Escalate(rejected, ReportedAt.AddDays(40)).Next);
        Assert.False(IncidentDeadlines.NeedWatching(rejected));
    }

    [Fact]
    public void AnIncidentIsWatchedWhileADeadlineIsNeitherMetNorEscalated()
    {
        var triaged = Triaged();
        var significant = Reported(significant: true);

        Assert.False(IncidentDeadlines.NeedWatching(triaged));
        Assert.True(IncidentDeadlines.NeedWatching(Reported()));
        Assert.True(IncidentDeadlines.NeedWatching(significant));
        Assert.False(IncidentDeadlines.NeedWatching(IncidentDeadlines.Escalate(significant, ReportedAt.AddDays(40)).Next));
    }
}
