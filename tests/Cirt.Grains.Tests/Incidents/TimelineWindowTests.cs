using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class TimelineWindowTests
{
    private static TimelineEntry[] Timeline(int entries, int summaryLength = 10) =>
        Enumerable.Range(1, entries).Select(n => new TimelineEntry(n, ReportedAt.AddMinutes(n), "ana", "note", new string('x', summaryLength))).ToArray();

    [Fact]
    public void AWindowHoldsTheNewestEntriesOldestFirst()
    {
        var window = TimelineWindow.Of(Timeline(250), pageSize: 100);

        Assert.Equal(Enumerable.Range(151, 100), window.Entries.Select(e => e.Sequence));
        Assert.Equal((250, 151), (window.Total, window.OlderBefore));
    }

    [Fact]
    public void PagingBackReachesEveryEntryOnceAndThenStops()
    {
        var timeline = Timeline(250);
        var seen = new List<int>();
        var before = 0;
        do
        {
            var window = TimelineWindow.Of(timeline, pageSize: 60, before);
            seen.InsertRange(0, window.Entries.Select(e => e.Sequence));
            before = window.OlderBefore;
        }
        while (before > 0);

        Assert.Equal(Enumerable.Range(1, 250), seen);
    }

    [Fact]
    public void AWindowStopsAtItsBytesButHoldsAtLeastOneEntry()
    {
        var timeline = Timeline(10, summaryLength: 1_000);

        var bounded = TimelineWindow.Of(timeline, pageSize: 100, maxBytes: 3_500);
        var tiny = TimelineWindow.Of(timeline, pageSize: 100, maxBytes: 10);

        Assert.Equal([8, 9, 10], bounded.Entries.Select(e => e.Sequence));
        Assert.Equal([10], tiny.Entries.Select(e => e.Sequence));
        Assert.Equal(10, tiny.OlderBefore);
    }

    [Fact]
    public void AWindowBeforeTheFirstEntryIsEmptyAndOneBeyondTheNewestStartsAtIt()
    {
        var timeline = Timeline(5);

        Assert.Empty(TimelineWindow.Of(timeline, pageSize: 10, before: 1).Entries);
        Assert.Equal([1, 2, 3, 4, 5], TimelineWindow.Of(timeline, pageSize: 10, before: 999).Entries.Select(e => e.Sequence));
    }
}
