using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.Nis2Incidents;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>NIS2 Art. 23(4)(c): an intermediate report on relevant status updates, upon the CSIRT's request.</summary>
public sealed class Nis2IntermediateReportTests
{
    private static readonly DateTimeOffset RequestedAt = NotifiedAt.AddDays(3);
    private static readonly DateTimeOffset DueAt = RequestedAt.AddHours(48);

    private static Deadline[] Requested() =>
        Nis2Clock.RequestIntermediateReport(Notified(), DueAt, "Has the ransomware spread to the second control centre?", RequestedAt).Deadlines;

    // NIS2 Art. 23(4)(c): the request has its own due time.
    [Fact]
    public void ARequestAddsAnIntermediateReportDueWhenTheCirtSaid()
    {
        var step = Nis2Clock.RequestIntermediateReport(Notified(), DueAt, "Has the ransomware spread to the second control centre?", RequestedAt);

        var intermediate = Of(step.Deadlines, DeadlineKind.Nis2IntermediateReport);
        Assert.Equal((DueAt, (DateTimeOffset?)null), (intermediate.DueAt, intermediate.MetAt));
        Assert.Contains("Art. 23(4)(c)", intermediate.Basis, StringComparison.Ordinal);
        Assert.Equal("NIS2 intermediate report requested, due 2026-03-09T10:00Z: Has the ransomware spread to the second control centre?", step.Note);
        // The other stages run on untouched.
        Assert.Equal(Notified(), step.Deadlines.Where(d => d.Kind != DeadlineKind.Nis2IntermediateReport));
    }

    // NIS2 Art. 23(4)(c): one request runs at a time; a new one replaces a pending one.
    [Fact]
    public void ANewRequestReplacesAPendingOneAndSaysSo()
    {
        var later = DueAt.AddDays(1);

        var step = Nis2Clock.RequestIntermediateReport(Requested(), later, "Extended: the operator is still imaging disks", RequestedAt.AddHours(1));

        Assert.Equal(later, Of(step.Deadlines, DeadlineKind.Nis2IntermediateReport).DueAt);
        Assert.Contains("replaces the request due 2026-03-09T10:00Z, not answered", step.Note, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(c): each request is answered by its own report.
    [Fact]
    public void ARequestAfterAnAnsweredOneRunsAgain()
    {
        var answered = Nis2Clock.OnReportReceived(Requested(), DeadlineKind.Nis2IntermediateReport, RequestedAt.AddHours(20));

        var again = Nis2Clock.RequestIntermediateReport(answered, DueAt.AddDays(7), "Weekly status, please", DueAt);

        var intermediate = Of(again.Deadlines, DeadlineKind.Nis2IntermediateReport);
        Assert.Equal((DueAt.AddDays(7), (DateTimeOffset?)null), (intermediate.DueAt, intermediate.MetAt));
        Assert.DoesNotContain("replaces", again.Note, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(c): the intermediate report meets the request, on time or late.
    [Theory]
    [InlineData(20, DeadlineStatus.Met, "on time")]
    [InlineData(50, DeadlineStatus.MetLate, "late")]
    public void AnIntermediateReportMeetsThePendingRequest(int hoursAfterRequest, DeadlineStatus status, string word)
    {
        var at = RequestedAt.AddHours(hoursAfterRequest);

        var received = Nis2Clock.Receive(In(IncidentStatus.Responding, Requested()), DeadlineKind.Nis2IntermediateReport, at);

        var intermediate = Of(received.Deadlines, DeadlineKind.Nis2IntermediateReport);
        Assert.Equal((at, status), (intermediate.MetAt, intermediate.StatusAt(at)));
        Assert.Equal($"NIS2 intermediate report received, {word} (due 2026-03-09T10:00Z)", received.Note);
    }

    // NIS2 Art. 23(4)(c) speaks of reports upon request; one sent unasked is kept, with no deadline to meet.
    [Fact]
    public void AnIntermediateReportNobodyRequestedIsRecordedWithoutADeadline()
    {
        var received = Nis2Clock.Receive(In(IncidentStatus.Responding, Notified()), DeadlineKind.Nis2IntermediateReport, RequestedAt);

        Assert.Equal(Notified(), received.Deadlines);
        Assert.Equal("NIS2 intermediate report received (none was requested)", received.Note);
    }

    // NIS2 Art. 23(4)(c): an unanswered request escalates like every other stage.
    [Fact]
    public void AnOverdueRequestIsEscalatedOnce()
    {
        var incident = In(IncidentStatus.Responding, Requested());

        var check = Nis2Clock.Check(incident, DueAt.AddMinutes(1));
        var again = Nis2Clock.Check(incident with { Deadlines = check.Deadlines }, DueAt.AddMinutes(2));

        var escalated = Assert.Single(check.Escalated);
        Assert.Equal((DeadlineKind.Nis2IntermediateReport, (DateTimeOffset?)DueAt.AddMinutes(1)), (escalated.Kind, escalated.EscalatedAt));
        Assert.False(again.Changed);
    }

    [Theory]
    [InlineData(IncidentStatus.Reported)]
    [InlineData(IncidentStatus.Triaged)]
    [InlineData(IncidentStatus.Responding)]
    [InlineData(IncidentStatus.Recovering)]
    [InlineData(IncidentStatus.Resolved)]
    public void TheCirtMayRequestOneWhileTheIncidentIsOpenOrResolved(IncidentStatus status)
    {
        Assert.Null(Nis2Clock.RefuseIntermediateReportRequest(In(status, Notified())));
    }

    [Theory]
    [InlineData(IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Rejected)]
    [InlineData(IncidentStatus.Duplicate)]
    public void NoRequestOnAClosedRejectedOrDuplicateIncident(IncidentStatus status)
    {
        Assert.Equal($"Incident CIRT-2026-000042 is {Words.Of(status)}: no more NIS2 reports are requested on it.",
            Nis2Clock.RefuseIntermediateReportRequest(In(status, Notified())));
    }

    [Fact]
    public void NoRequestOnAnIncidentWithoutNis2Obligations()
    {
        var ordinary = In(IncidentStatus.Responding, [new Deadline(DeadlineKind.Triage, ReportedAt.AddHours(24), ReportedAt.AddHours(1), "triage SLA: 24 h")]);

        Assert.Contains("has no NIS2 reporting obligations", Nis2Clock.RefuseIntermediateReportRequest(ordinary), StringComparison.Ordinal);
    }
}
