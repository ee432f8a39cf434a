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
    public void AnEntryIsSharedUnlessWrittenAsInternal()
    {
        var shared = IncidentTimeline.Append(Reported(), ReportedAt.AddHours(1), "ana", "assigned", "Assigned to ben");
        var internalEntry = IncidentTimeline.Append(shared, ReportedAt.AddHours(2), "ana", "note", "suspect an insider", TimelineVisibility.Internal);

        Assert.Equal([TimelineVisibility.Shared, TimelineVisibility.Shared, TimelineVisibility.Internal], internalEntry.Timeline.Select(e => e.Visibility));
    }

    [Fact]
    public void AReasonEndsASummaryOnlyWhenThereIsOne()
    {
        Assert.Equal(": because", IncidentTimeline.Because("because"));
        Assert.Equal("", IncidentTimeline.Because(""));
    }
}
