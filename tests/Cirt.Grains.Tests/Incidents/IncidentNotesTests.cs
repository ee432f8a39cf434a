using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentNotesTests
{
    private static readonly DateTimeOffset Later = ReportedAt.AddHours(2);

    [Fact]
    public void ANoteIsANewVersionWithTheTextAsItsEntry()
    {
        var noted = IncidentNotes.Add(Reported(), "Called the GridCo SOC", TimelineVisibility.Unspecified, Callers.Analyst, Later);

        Assert.Equal((2L, Later), (noted.Version, noted.UpdatedAt));
        Assert.Equal((2, "note", "ana", "Called the GridCo SOC"), (noted.Timeline[^1].Sequence, noted.Timeline[^1].Kind, noted.Timeline[^1].Actor, noted.Timeline[^1].Summary));
    }

    [Fact]
    public void AnAnalystsNoteIsInternalUnlessShared()
    {
        var unsaid = IncidentNotes.Add(Reported(), "suspect: an insider", TimelineVisibility.Unspecified, Callers.Analyst, Later);
        var shared = IncidentNotes.Add(unsaid, "Isolate the HMI network now", TimelineVisibility.Shared, Callers.Analyst, Later);
        var internalNote = IncidentNotes.Add(shared, "police informed", TimelineVisibility.Internal, Callers.Coordinator, Later);

        Assert.Equal(
            [TimelineVisibility.Internal, TimelineVisibility.Shared, TimelineVisibility.Internal],
            internalNote.Timeline.Skip(1).Select(e => e.Visibility));
    }

    [Theory]
    [InlineData(TimelineVisibility.Unspecified)]
    [InlineData(TimelineVisibility.Shared)]
    public void AnOperatorsNoteIsShared(TimelineVisibility requested)
    {
        var noted = IncidentNotes.Add(Reported(false, "firstbank"), "Our payment gateway sees the same IPs", requested, Callers.Operator("firstbank"), Later);

        Assert.Equal(("soc@firstbank", TimelineVisibility.Shared), (noted.Timeline[^1].Actor, noted.Timeline[^1].Visibility));
    }

    [Fact]
    public void AnOperatorIsRefusedAnInternalNote()
    {
        var refused = Assert.Throws<CirtException>(() =>
            IncidentNotes.Add(Reported(), "hide this from firstbank", TimelineVisibility.Internal, Callers.Operator("gridco"), Later));

        Assert.Equal((CirtErrorKind.PermissionDenied, "visibility"), (refused.Kind, refused.Field));
        Assert.Contains("Internal notes are the CIRT's", refused.Message, StringComparison.Ordinal);
    }
}
