using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>cirt.v1.ReportingService: operators report incidents.</summary>
public sealed class ReportingGrpcService(IGrainFactory grains, RsitTaxonomy taxonomy, CirtClock clock)
    : Proto.ReportingService.ReportingServiceBase
{
    public override async Task<Proto.SubmitIncidentResponse> SubmitIncident(Proto.SubmitIncidentRequest request, ServerCallContext context)
    {
        var report = ToDomain(request, taxonomy, clock.GetUtcNow());
        var caller = context.Principal();
        if (caller.Role == Role.Operator && caller.StakeholderId != report.ReporterStakeholderId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"Your key reports for '{caller.StakeholderId}' only, not for '{report.ReporterStakeholderId}'."));
        }

        var incident = await grains.GetGrain<ISubmissionGrain>(SubmissionGrain.KeyFor(report.ReporterStakeholderId, report.RequestId))
            .SubmitAsync(report, caller.Actor);
        var now = clock.GetUtcNow();
        var response = new Proto.SubmitIncidentResponse
        {
            TrackingId = incident.TrackingId,
            Incident = IncidentMapping.ToProto(incident, now),
        };
        response.Deadlines.AddRange(incident.Deadlines.Select(d => IncidentMapping.ToProto(d, now)));
        return response;
    }

    public override async Task<Proto.SubmitNis2ReportResponse> SubmitNis2Report(Proto.SubmitNis2ReportRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.RequestId(v, "request_id", request.RequestId);
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Enum("stage", request.Stage);
        if (request.Stage != Proto.DeadlineKind.Unspecified && Enum.IsDefined(request.Stage) && !Nis2Clock.IsStage((DeadlineKind)(int)request.Stage))
        {
            v.Add("stage", "must be a NIS2 stage: DEADLINE_KIND_NIS2_EARLY_WARNING, _NOTIFICATION, _INTERMEDIATE_REPORT, _PROGRESS_REPORT or _FINAL_REPORT");
        }

        v.Required("summary", request.Summary, Limits.DescriptionLength);
        v.ThrowIfAny();

        var grain = grains.GetGrain<IIncidentGrain>(request.TrackingId);
        var caller = context.Principal();
        if (!caller.IsCirtStaff)
        {
            if (await grain.GetAsync() is not { } visible || !IncidentAccess.CanSee(caller, visible))
            {
                throw ErrorInterceptor.ToRpc(CirtException.NotFound("Incident", request.TrackingId));
            }

            if (visible.ReporterStakeholderId != caller.StakeholderId)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"NIS2 reports for {request.TrackingId} come from the organisation that reported it ({visible.ReporterStakeholderId})."));
            }
        }

        var stage = (DeadlineKind)(int)request.Stage;
        var incident = await grain.SubmitNis2ReportAsync(new Nis2ReportSubmission(request.RequestId, stage, request.Summary), caller.Actor);
        var now = clock.GetUtcNow();
        return new Proto.SubmitNis2ReportResponse
        {
            // No deadline of the stage may run (an intermediate report nobody requested): then none is returned.
            Deadline = incident.Deadlines.FirstOrDefault(d => d.Kind == stage) is { } deadline ? IncidentMapping.ToProto(deadline, now) : null,
            Incident = IncidentMapping.ToProto(incident, now),
        };
    }

    /// <summary>Validates a report (every violation at once) and maps it to the domain.</summary>
    public static IncidentReport ToDomain(Proto.SubmitIncidentRequest request, RsitTaxonomy taxonomy, DateTimeOffset now)
    {
        var v = new Violations();
        FieldRules.RequestId(v, "request_id", request.RequestId);
        FieldRules.StakeholderId(v, "reporter_stakeholder_id", request.ReporterStakeholderId);
        v.Required("title", request.Title, Limits.TitleLength);
        v.Required("description", request.Description, Limits.DescriptionLength);
        var contact = request.ReporterContact ?? new Proto.ReporterContact();
        v.MaxLength("reporter_contact.name", contact.Name, Limits.NameLength);
        v.MaxLength("reporter_contact.email", contact.Email, Limits.ShortTextLength);
        FieldRules.Email(v, "reporter_contact.email", contact.Email);
        v.MaxLength("reporter_contact.phone", contact.Phone, 64);
        var awareAt = FieldRules.PastTime(v, "aware_at", request.AwareAt, now);

        v.MaxCount("affected_stakeholder_ids", request.AffectedStakeholderIds, Limits.StakeholdersPerIncident);
        for (var i = 0; i < Math.Min(request.AffectedStakeholderIds.Count, Limits.StakeholdersPerIncident); i++)
        {
            FieldRules.StakeholderId(v, $"affected_stakeholder_ids[{i}]", request.AffectedStakeholderIds[i]);
        }

        v.MaxCount("sector_codes", request.SectorCodes, Limits.SectorsPerItem);
        for (var i = 0; i < Math.Min(request.SectorCodes.Count, Limits.SectorsPerItem); i++)
        {
            FieldRules.SectorCode(v, $"sector_codes[{i}]", request.SectorCodes[i]);
        }

        if (request.RsitClass.Length > 0 || request.RsitType.Length > 0)
        {
            if (taxonomy.Refuse(request.RsitClass, request.RsitType) is { } bad)
            {
                v.Add(bad.Field, bad.Message);
            }
        }

        v.Enum("severity", request.Severity, required: false);
        v.Enum("tlp", request.Tlp, required: false);
        v.MaxCount("observables", request.Observables, Limits.ObservablesPerRequest);
        var observables = request.Observables.Count <= Limits.ObservablesPerRequest
            ? CommonMapping.ToDomain(request.Observables, "observables", v)
            : [];
        v.ThrowIfAny();

        return new IncidentReport(
            request.RequestId,
            request.ReporterStakeholderId,
            new ReporterContact(contact.Name, contact.Email, contact.Phone),
            request.Title.Trim(),
            request.Description,
            awareAt,
            request.Significant,
            request.SuspectedMalicious,
            request.CrossBorderImpact,
            request.AffectedStakeholderIds.Distinct().ToArray(),
            request.SectorCodes.Distinct().ToArray(),
            request.RsitClass,
            request.RsitType,
            CommonMapping.ToDomain(request.Severity),
            request.Tlp == Proto.Tlp.Unspecified ? null : CommonMapping.ToDomain(request.Tlp),
            observables,
            request.Exercise,
            request.AffectsTrustServices);
    }
}
