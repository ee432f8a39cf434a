using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentReachTests
{
    [Fact]
    public void AnIncidentThatDoesNotExistIsNotFound()
    {
        var refused = Assert.Throws<CirtException>(() => IncidentReach.VisibleTo(null, TrackingId, Callers.Analyst));

        Assert.Equal((CirtErrorKind.NotFound, $"Incident '{TrackingId}' was not found."), (refused.Kind, refused.Message));
    }

    [Fact]
    public void AnotherOrganisationsIncidentIsAnsweredExactlyLikeOneThatDoesNotExist()
    {
        var hidden = Assert.Throws<CirtException>(() => IncidentReach.VisibleTo(Reported(), TrackingId, Callers.Operator("firstbank")));
        var missing = Assert.Throws<CirtException>(() => IncidentReach.VisibleTo(null, TrackingId, Callers.Operator("firstbank")));

        Assert.Equal((missing.Kind, missing.Message, missing.Field), (hidden.Kind, hidden.Message, hidden.Field));
    }

    [Fact]
    public void TheReporterAndTheCirtReachTheIncident()
    {
        var incident = Reported();

        Assert.Same(incident, IncidentReach.VisibleTo(incident, TrackingId, Callers.Operator("gridco")));
        Assert.Same(incident, IncidentReach.VisibleTo(incident, TrackingId, Callers.Analyst));
        Assert.Same(incident, IncidentReach.Existing(incident, TrackingId));
    }
}
