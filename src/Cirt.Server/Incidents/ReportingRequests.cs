using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>
/// The shape of ReportingService requests, every violation at once, and their domain form. Whether
/// a report's classification is in the RSIT taxonomy is the reporting rule's to say (IncidentReporting).
/// </summary>
public static class ReportingRequests
{
    public static IncidentReport ToDomain(Proto.SubmitIncidentRequest request, DateTimeOffset now)
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

        FieldRules.StakeholderIds(v, "affected_stakeholder_ids", request.AffectedStakeholderIds, Limits.StakeholdersPerIncident);

        FieldRules.SectorCodes(v, "sector_codes", request.SectorCodes, Limits.SectorsPerItem);

        v.MaxLength("rsit_class", request.RsitClass, Limits.NameLength);
        v.MaxLength("rsit_type", request.RsitType, Limits.NameLength);
        v.Enum("severity", request.Severity, required: false);
        v.Enum("tlp", request.Tlp, required: false);
        v.MaxCount("observables", request.Observables, Limits.ObservablesPerRequest);
        var observables = request.Observables.Count <= Limits.ObservablesPerRequest
            ? CommonMapping.ToDomain(request.Observables, "observables", v)
            : [];
        if (IncidentBudget.ObservableBytesOf(observables) is var bytes && bytes > Limits.ObservableBytesPerIncident)
        {
            v.Add("observables", $"take {IncidentBudget.Size(bytes)}; an incident holds at most {IncidentBudget.Size(Limits.ObservableBytesPerIncident)} of observables");
        }

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

    public static Nis2ReportSubmission ToDomain(Proto.SubmitNis2ReportRequest request)
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
        return new Nis2ReportSubmission(request.RequestId, (DeadlineKind)(int)request.Stage, request.Summary);
    }
}
