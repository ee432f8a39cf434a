using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentTimelineTests
{
    [Fact]
    public void AChangeIsOneVersionAndEntriesItBringsAlongShareIt()
    {
        var at = ReportedAt.AddHours(1);

        var changed = IncidentTimeline.Append(Reported(), at, "ana", "note", "first");
        var along = IncidentTimeline.AppendToChange(changed, at, "system:playbook", "tasks-created", "second");

        Assert.Equal((2L, 2L), (changed.Version, along.Version));
        Assert.Equal([1, 2, 3], along.Timeline.Select(e => e.Sequence));
        Assert.Equal(at, along.UpdatedAt);
    }

    [Fact]
    public void TheTimelineHoldsAtMostItsLimit()
    {
        var entries = Enumerable.Range(1, Limits.TimelineEntriesPerIncident).Select(n => new TimelineEntry(n, ReportedAt, "ana", "note", "n")).ToArray();
        var full = Reported() with { Timeline = entries };

        var refused = Assert.Throws<CirtException>(() => IncidentWork.AddNote(full, "one more", "ana", ReportedAt));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains($"limit of {Limits.TimelineEntriesPerIncident} timeline entries", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReasonEndsASummaryOnlyWhenThereIsOne()
    {
        Assert.Equal(": because", IncidentTimeline.Because("because"));
        Assert.Equal("", IncidentTimeline.Because(""));
    }
}
