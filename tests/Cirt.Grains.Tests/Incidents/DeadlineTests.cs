using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class DeadlineTests
{
    private static readonly DateTimeOffset DueAt = new(2026, 3, 5, 8, 30, 0, TimeSpan.Zero);

    private static Deadline Notification(DateTimeOffset? metAt) =>
        new(DeadlineKind.Nis2Notification, DueAt, metAt, "72 h after becoming aware");

    [Fact]
    public void UnmetDeadlineIsPendingBeforeItIsDue()
    {
        Assert.Equal(DeadlineStatus.Pending, Notification(metAt: null).StatusAt(DueAt.AddMinutes(-1)));
    }

    [Fact]
    public void UnmetDeadlineIsStillPendingAtTheMomentItIsDue()
    {
        Assert.Equal(DeadlineStatus.Pending, Notification(metAt: null).StatusAt(DueAt));
    }

    [Fact]
    public void UnmetDeadlineIsOverdueOnceItHasPassed()
    {
        Assert.Equal(DeadlineStatus.Overdue, Notification(metAt: null).StatusAt(DueAt.AddSeconds(1)));
    }

    [Theory]
    [InlineData(-3600)]
    [InlineData(0)]
    public void DeadlineMetInTimeStaysMetLongAfterwards(int secondsFromDue)
    {
        var deadline = Notification(DueAt.AddSeconds(secondsFromDue));

        Assert.Equal(DeadlineStatus.Met, deadline.StatusAt(DueAt.AddDays(30)));
    }

    [Fact]
    public void DeadlineMetAfterItWasDueIsMetLate()
    {
        Assert.Equal(DeadlineStatus.MetLate, Notification(DueAt.AddMinutes(1)).StatusAt(DueAt.AddDays(1)));
    }
}
