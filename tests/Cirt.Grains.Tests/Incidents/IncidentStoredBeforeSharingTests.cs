using Cirt.Grains.Incidents;
using Cirt.Grains.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>Incidents stored before sharing read back, with the silo's serializer, as ours, shared with nobody and linked to nothing.</summary>
[Collection(CirtClusterCollection.Name)]
public sealed class IncidentStoredBeforeSharingTests(CirtClusterFixture cluster)
{
    [Fact]
    public void AnIncidentStoredBeforeSharingReadsBackAsOursSharedWithNobody()
    {
        var serializer = cluster.Cluster.GetSiloServiceProvider().GetRequiredService<Serializer>();
        var stored = serializer.SerializeToArray(new IncidentBeforeSharing(
            "CIRT-2025-000001", "Substation HMI unreachable", Tlp.Amber, IncidentStatus.Responding, 7,
            [new TimelineEntry(1, TestIncidents.ReportedAt, "soc@gridco", "reported", "Reported by gridco")]));

        var incident = serializer.Deserialize<Incident>(stored)!;

        Assert.Equal(("CIRT-2025-000001", 7L, IncidentStatus.Responding), (incident.TrackingId, incident.Version, incident.Status));
        Assert.Null(incident.PartnerOrigin);
        Assert.Equal((0, 0, 0, 0), (incident.PartnerShares.Length, incident.LinkedTrackingIds.Length, incident.PartnerFollowUpIds.Length, incident.PendingShares.Length));
        Assert.Equal("", incident.ToSummary().OriginInstanceId);
        Assert.Empty(IncidentSharing.Followers(incident));
    }
}
