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
