using Cirt.Grains.Ingest;
using Cirt.Server.Ingest;

namespace Cirt.Server.Tests;

public sealed class EventKeyFilterTests
{
    [Fact]
    public void EveryAddedKeyIsReportedAndFewOthersAre()
    {
        var filter = new EventKeyFilter();
        var stored = Enumerable.Range(0, 200_000).Select(i => EventKeys.Of("sensor@gridco", $"event-{i}")).ToArray();
        foreach (var key in stored)
        {
            filter.Add(key);
        }

        // A resend must never be taken for a new event.
        Assert.All(stored, key => Assert.True(filter.MightContain(key)));
        var falsePositives = Enumerable.Range(0, 100_000).Count(i => filter.MightContain(EventKeys.Of("sensor@gridco", $"other-{i}")));
        Assert.True(falsePositives < 100, $"{falsePositives} false positives in 100,000");
    }
}
