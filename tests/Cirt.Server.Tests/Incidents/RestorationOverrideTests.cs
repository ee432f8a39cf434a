using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// Issue 16, finding 7: an analyst set restoration for every affected stakeholder and resolved,
/// bypassing the coordinator-only override. Resolving with an organisation not restored stays a
/// coordinator's decision, whoever sets restoration.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RestorationOverrideTests(ServerFixture server)
{
    [Fact]
    public async Task AnAnalystCannotMarkOtherOrganisationsRestoredToResolveWithoutTheCoordinatorsOverride()
    {
        var id = await RecoveringAsync("gridco", "firstbank");
        var analyst = server.Incidents(server.AnalystKey);

        foreach (var stakeholder in new[] { "gridco", "firstbank" })
        {
            await RpcAssert.StatusOf(() => analyst.SetRestorationAsync(
                new SetRestorationRequest { TrackingId = id, StakeholderId = stakeholder, Restored = true, Note = "said so on the phone" }).ResponseAsync);
        }

        var resolve = await RpcAssert.StatusOf(() => analyst.TransitionIncidentAsync(
            new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved, Reason = "all restored" }).ResponseAsync);

        var incident = (await analyst.GetIncidentAsync(new GetIncidentRequest { TrackingId = id })).Incident;
        Assert.True(incident.Status == IncidentStatus.Recovering, $"the analyst resolved it without the override ({resolve.StatusCode})");
        Assert.Equal(StatusCode.FailedPrecondition, resolve.StatusCode);
        Assert.Contains("not yet restored: gridco, firstbank", resolve.Status.Detail);
        Assert.DoesNotContain(incident.Restorations, r => r.Restored && r.By == "alice");
    }

    /// <summary>An incident of <paramref name="affected"/>[0], affecting all of them, reported by the CIRT and moved to RECOVERING.</summary>
    private async Task<string> RecoveringAsync(params string[] affected)
    {
        var report = Reports.Valid(affected[0]);
        report.AffectedStakeholderIds.Add(affected.Skip(1));
        var id = (await server.Reporting(server.AnalystKey).SubmitIncidentAsync(report)).TrackingId;
        var staff = server.Incidents(server.AnalystKey);
        await staff.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "availability", RsitType = "ddos", Severity = Severity.High,
        });
        await staff.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Responding });
        await staff.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Recovering });
        return id;
    }
}
