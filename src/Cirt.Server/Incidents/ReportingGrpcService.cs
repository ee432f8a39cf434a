using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>cirt.v1.ReportingService: operators report incidents.</summary>
public sealed class ReportingGrpcService(IGrainFactory grains, CirtClock clock)
    : Proto.ReportingService.ReportingServiceBase
{
    public override async Task<Proto.SubmitIncidentResponse> SubmitIncident(Proto.SubmitIncidentRequest request, ServerCallContext context)
    {
        var report = ReportingRequests.ToDomain(request, clock.GetUtcNow());
        var caller = context.Principal();
        if (caller.Role == Role.Operator && caller.StakeholderId != report.ReporterStakeholderId)
        {
            RpcErrors.Throw(StatusCode.PermissionDenied, $"Your key reports for '{caller.StakeholderId}' only, not for '{report.ReporterStakeholderId}'.");
        }

        var incident = await grains.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor(report.ReporterStakeholderId, report.RequestId))
            .SubmitAsync(report, caller);
        var now = clock.GetUtcNow();
        var response = new Proto.SubmitIncidentResponse
        {
            TrackingId = incident.TrackingId,
            Incident = IncidentMapping.ToProto(incident, caller, now),
        };
        response.Deadlines.AddRange(incident.Deadlines.Select(d => IncidentMapping.ToProto(d, now)));
        return response;
    }

    public override async Task<Proto.SubmitNis2ReportResponse> SubmitNis2Report(Proto.SubmitNis2ReportRequest request, ServerCallContext context)
    {
        var submission = ReportingRequests.ToDomain(request);
        var incident = await grains.GetGrain<IIncidentGrain>(request.TrackingId).SubmitNis2ReportAsync(submission, context.Principal());
        var now = clock.GetUtcNow();
        return new Proto.SubmitNis2ReportResponse
        {
            // No deadline of the stage may run (an intermediate report nobody requested): then none is returned.
            Deadline = incident.Deadlines.FirstOrDefault(d => d.Kind == submission.Stage) is { } deadline ? IncidentMapping.ToProto(deadline, now) : null,
            Incident = IncidentMapping.ToProto(incident, context.Principal(), now),
        };
    }
}
