using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Tests.Incidents;

public sealed class Nis2ClockTests
{
    private static readonly DateTimeOffset AwareAt = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ReportedAt = AwareAt.AddHours(5);

    private static Deadline Of(Deadline[] deadlines, DeadlineKind kind) => Assert.Single(deadlines, d => d.Kind == kind);

    [Fact]
    public void StartRunsTheThreeArticle23Stages()
    {
        var deadlines = Nis2Clock.Start(AwareAt, ReportedAt);

        Assert.Equal(
            [DeadlineKind.Nis2EarlyWarning, DeadlineKind.Nis2Notification, DeadlineKind.Nis2FinalReport],
            deadlines.Select(d => d.Kind));
    }

    [Fact]
    public void EarlyWarningIsDue24HoursAfterBecomingAware()
    {
        var earlyWarning = Of(Nis2Clock.Start(AwareAt, ReportedAt), DeadlineKind.Nis2EarlyWarning);

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 8, 30, 0, TimeSpan.Zero), earlyWarning.DueAt);
    }

    [Fact]
    public void InitialReportCountsAsTheEarlyWarning()
    {
        var earlyWarning = Of(Nis2Clock.Start(AwareAt, ReportedAt), DeadlineKind.Nis2EarlyWarning);

        Assert.Equal(ReportedAt, earlyWarning.MetAt);
        Assert.Equal(DeadlineStatus.Met, earlyWarning.StatusAt(ReportedAt));
    }

    [Fact]
    public void ReportMoreThan24HoursAfterBecomingAwareMeetsTheEarlyWarningLate()
    {
        var earlyWarning = Of(Nis2Clock.Start(AwareAt, AwareAt.AddHours(30)), DeadlineKind.Nis2EarlyWarning);

        Assert.Equal(DeadlineStatus.MetLate, earlyWarning.StatusAt(AwareAt.AddHours(30)));
    }

    [Fact]
    public void NotificationIsDue72HoursAfterBecomingAwareAndNotYetMet()
    {
        var notification = Of(Nis2Clock.Start(AwareAt, ReportedAt), DeadlineKind.Nis2Notification);

        Assert.Equal(new DateTimeOffset(2026, 3, 5, 8, 30, 0, TimeSpan.Zero), notification.DueAt);
        Assert.Null(notification.MetAt);
    }

    [Fact]
    public void FinalReportIsProvisionallyDueOneMonthAfterTheNotificationDeadline()
    {
        var finalReport = Of(Nis2Clock.Start(AwareAt, ReportedAt), DeadlineKind.Nis2FinalReport);

        Assert.Equal(new DateTimeOffset(2026, 4, 5, 8, 30, 0, TimeSpan.Zero), finalReport.DueAt);
        Assert.Contains("provisional", finalReport.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z")]
    [InlineData("2028-01-31T10:00:00Z", "2028-02-29T10:00:00Z")]
    [InlineData("2026-08-31T23:15:00Z", "2026-09-30T23:15:00Z")]
    [InlineData("2026-03-15T09:00:00Z", "2026-04-15T09:00:00Z")]
    [InlineData("2026-12-20T09:00:00Z", "2027-01-20T09:00:00Z")]
    public void FinalReportIsDueOneCalendarMonthAfterTheNotification(string notifiedAt, string due)
    {
        Assert.Equal(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
            Nis2Clock.FinalReportDue(DateTimeOffset.Parse(notifiedAt, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void ReceivingTheNotificationMeetsItAndMovesTheFinalReport()
    {
        var receivedAt = new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero);

        var deadlines = Nis2Clock.OnNotificationReceived(Nis2Clock.Start(AwareAt, ReportedAt), receivedAt);

        Assert.Equal(receivedAt, Of(deadlines, DeadlineKind.Nis2Notification).MetAt);
        var finalReport = Of(deadlines, DeadlineKind.Nis2FinalReport);
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 16, 0, 0, TimeSpan.Zero), finalReport.DueAt);
        Assert.Equal("one month after the incident notification", finalReport.Basis);
        Assert.Null(finalReport.MetAt);
    }

    [Fact]
    public void ReceivingTheNotificationLeavesTheEarlyWarningAlone()
    {
        var started = Nis2Clock.Start(AwareAt, ReportedAt);

        var deadlines = Nis2Clock.OnNotificationReceived(started, AwareAt.AddHours(48));

        Assert.Equal(Of(started, DeadlineKind.Nis2EarlyWarning), Of(deadlines, DeadlineKind.Nis2EarlyWarning));
    }

    // NIS2 Art. 23(4)(b): a trust service provider notifies within 24 hours for an incident affecting its trust services.
    [Fact]
    public void TrustServiceProviderWhoseTrustServicesAreAffectedNotifiesWithin24Hours()
    {
        var deadlines = Nis2Clock.Start(AwareAt, ReportedAt, trustServiceProvider: true, affectsTrustServices: true);

        var notification = Of(deadlines, DeadlineKind.Nis2Notification);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 8, 30, 0, TimeSpan.Zero), notification.DueAt);
        Assert.StartsWith("24 h after becoming aware", notification.Basis, StringComparison.Ordinal);
        Assert.Contains("Art. 23(4)(b)", notification.Basis, StringComparison.Ordinal);
        // The provisional final report counts from the earlier notification deadline.
        Assert.Equal(new DateTimeOffset(2026, 4, 3, 8, 30, 0, TimeSpan.Zero), Of(deadlines, DeadlineKind.Nis2FinalReport).DueAt);
    }

    // NIS2 Art. 23(4)(b) applies to incidents impacting the provision of the trust services only.
    [Fact]
    public void TrustServiceProviderWhoseTrustServicesAreNotAffectedNotifiesWithin72Hours()
    {
        var notification = Of(Nis2Clock.Start(AwareAt, ReportedAt, trustServiceProvider: true, affectsTrustServices: false), DeadlineKind.Nis2Notification);

        Assert.Equal(AwareAt.AddHours(72), notification.DueAt);
        Assert.Equal("72 h after becoming aware", notification.Basis);
    }

    // NIS2 Art. 23(4)(b): the shorter window needs a registered trust service provider; the report's word alone does not change it.
    [Fact]
    public void AReporterNotRegisteredAsTrustServiceProviderKeeps72HoursAndTheBasisSaysWhy()
    {
        var notification = Of(Nis2Clock.Start(AwareAt, ReportedAt, trustServiceProvider: false, affectsTrustServices: true), DeadlineKind.Nis2Notification);

        Assert.Equal(AwareAt.AddHours(72), notification.DueAt);
        Assert.Contains("not registered as a trust service provider", notification.Basis, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(a) is the same for everyone: the early warning stays 24 hours for a trust service provider.
    [Fact]
    public void TheEarlyWarningOfATrustServiceProviderIsStill24HoursAndMetByTheInitialReport()
    {
        var earlyWarning = Of(Nis2Clock.Start(AwareAt, ReportedAt, trustServiceProvider: true, affectsTrustServices: true), DeadlineKind.Nis2EarlyWarning);

        Assert.Equal((AwareAt.AddHours(24), (DateTimeOffset?)ReportedAt), (earlyWarning.DueAt, earlyWarning.MetAt));
    }

    // NIS2 Art. 23(4)(d): the final report and the progress report standing in for it follow the notification.
    [Theory]
    [InlineData(DeadlineKind.Nis2FinalReport, "final report")]
    [InlineData(DeadlineKind.Nis2ProgressReport, "progress report")]
    public void FinalAndProgressReportsAreRefusedBeforeTheNotification(DeadlineKind stage, string name)
    {
        var refusal = Nis2Clock.RefuseReport(Nis2Clock.Start(AwareAt, ReportedAt), stage, "CIRT-2026-000042");

        Assert.Equal($"The {name} of CIRT-2026-000042 follows the incident notification, which has not been received yet: submit the notification first.", refusal);
    }

    [Theory]
    [InlineData(DeadlineKind.Nis2Notification)]
    [InlineData(DeadlineKind.Nis2IntermediateReport)]
    [InlineData(DeadlineKind.Nis2EarlyWarning)]
    public void OtherStagesAreAcceptedBeforeTheNotification(DeadlineKind stage)
    {
        Assert.Null(Nis2Clock.RefuseReport(Nis2Clock.Start(AwareAt, ReportedAt), stage, "CIRT-2026-000042"));
    }

    [Fact]
    public void TheNotificationOnTimeSaysSoAndWhenTheFinalReportIsDue()
    {
        var incident = Nis2Incidents.In(IncidentStatus.Responding, Nis2Clock.Start(AwareAt, ReportedAt));

        var received = Nis2Clock.Receive(incident, DeadlineKind.Nis2Notification, AwareAt.AddHours(30));

        Assert.Equal("NIS2 incident notification received, on time (due 2026-03-05T08:30Z); final report now due 2026-04-03T14:30Z", received.Note);
        Assert.Equal(AwareAt.AddHours(30), Of(received.Deadlines, DeadlineKind.Nis2Notification).MetAt);
    }

    [Fact]
    public void ASecondReportOfAStageIsAnUpdateAndMovesNothing()
    {
        var incident = Nis2Incidents.In(IncidentStatus.Responding, Nis2Incidents.Notified());

        var received = Nis2Clock.Receive(incident, DeadlineKind.Nis2Notification, Nis2Incidents.NotifiedAt.AddDays(2));

        Assert.Equal("Update to the incident notification received", received.Note);
        Assert.Equal(incident.Deadlines, received.Deadlines);
    }

    [Theory]
    [InlineData(DeadlineKind.Nis2EarlyWarning, true)]
    [InlineData(DeadlineKind.Nis2Notification, true)]
    [InlineData(DeadlineKind.Nis2IntermediateReport, true)]
    [InlineData(DeadlineKind.Nis2ProgressReport, true)]
    [InlineData(DeadlineKind.Nis2FinalReport, true)]
    [InlineData(DeadlineKind.Triage, false)]
    public void EveryArticle23ReportIsAStageAndTriageIsNot(DeadlineKind kind, bool isStage)
    {
        Assert.Equal(isStage, Nis2Clock.IsStage(kind));
    }

    [Theory]
    [InlineData(Nis2EntityClass.Essential, true, true)]
    [InlineData(Nis2EntityClass.Important, true, true)]
    [InlineData(Nis2EntityClass.None, true, false)]
    [InlineData(Nis2EntityClass.Essential, false, false)]
    [InlineData(Nis2EntityClass.Important, false, false)]
    [InlineData(Nis2EntityClass.None, false, false)]
    public void DeadlinesApplyOnlyToSignificantIncidentsOfEssentialOrImportantEntities(
        Nis2EntityClass entityClass, bool significant, bool applies)
    {
        Assert.Equal(applies, Nis2Clock.Applies(entityClass, significant));
    }
}
