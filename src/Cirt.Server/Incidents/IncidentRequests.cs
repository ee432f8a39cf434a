using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>
/// The shape of IncidentService requests (required fields, lengths, counts, enum values, id
/// formats), every violation at once, and their domain form. The rules of incidents themselves
/// are the grain's (IncidentTriage, IncidentWork, ...): nothing here is checked twice.
/// </summary>
public static class IncidentRequests
{
    public static void CheckTrackingId(string trackingId)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", trackingId);
        v.ThrowIfAny();
    }

    public static void Check(Proto.ShareIncidentRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        if (!PartnerRules.IsValidId(request.PartnerId))
        {
            v.Add("partner_id", request.PartnerId.Length == 0
                ? "is required"
                : $"'{Echo.Of(request.PartnerId)}' is not a partner id (1 to 64 lower-case letters, digits, '.', '_' or '-')");
        }

        v.ThrowIfAny();
    }

    public static void Check(Proto.LinkIncidentRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        FieldRules.TrackingId(v, "linked_tracking_id", request.LinkedTrackingId);
        if (request.LinkedTrackingId.Length > 0 && request.LinkedTrackingId == request.TrackingId)
        {
            v.Add("linked_tracking_id", "is the incident itself: an incident is not linked to itself");
        }

        v.ThrowIfAny();
    }

    public static TriageDecision ToDomain(Proto.TriageIncidentRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Enum("outcome", request.Outcome);
        v.MaxLength("reason", request.Reason, Limits.ReasonLength);
        switch (request.Outcome)
        {
            case Proto.TriageOutcome.Accept:
                // Whether class and type are in the taxonomy is the triage rule's to say (IncidentTriage).
                v.MaxLength("rsit_class", request.RsitClass, Limits.NameLength);
                v.MaxLength("rsit_type", request.RsitType, Limits.NameLength);
                v.Enum("severity", request.Severity);
                v.Enum("tlp", request.Tlp, required: false);
                FieldRules.UserName(v, "assignee", request.Assignee, required: false);
                NotFor(v, "duplicate_of", request.DuplicateOf.Length > 0, "ACCEPT");
                CheckConfirmations(v, request);
                break;
            case Proto.TriageOutcome.Reject:
                v.Required("reason", request.Reason, Limits.ReasonLength);
                NotForClassification(v, request, "REJECT");
                NotFor(v, "duplicate_of", request.DuplicateOf.Length > 0, "REJECT");
                break;
            case Proto.TriageOutcome.Duplicate:
                FieldRules.TrackingId(v, "duplicate_of", request.DuplicateOf);
                NotForClassification(v, request, "DUPLICATE");
                break;
        }

        v.ThrowIfAny();
        return new TriageDecision(
            (TriageOutcome)(int)request.Outcome,
            request.RsitClass,
            request.RsitType,
            CommonMapping.ToDomain(request.Severity),
            request.Tlp == Proto.Tlp.Unspecified ? null : CommonMapping.ToDomain(request.Tlp),
            request.Assignee,
            request.DuplicateOf,
            request.Reason)
        {
            ConfirmProposed = request.ConfirmProposed,
            ConfirmStakeholderIds = [.. request.ConfirmStakeholderIds.Distinct()],
            ConfirmSectorCodes = [.. request.ConfirmSectorCodes.Distinct()],
        };
    }

    /// <summary>What an accepting triage confirms of the reporter's proposals: everything, or the entries listed.</summary>
    private static void CheckConfirmations(Violations v, Proto.TriageIncidentRequest request)
    {
        if (request.ConfirmProposed && (request.ConfirmStakeholderIds.Count > 0 || request.ConfirmSectorCodes.Count > 0))
        {
            v.Add("confirm_proposed", "confirms everything proposed: give it or the lists confirm_stakeholder_ids and confirm_sector_codes, not both");
        }

        FieldRules.StakeholderIds(v, "confirm_stakeholder_ids", request.ConfirmStakeholderIds, Limits.StakeholdersPerIncident);

        FieldRules.SectorCodes(v, "confirm_sector_codes", request.ConfirmSectorCodes, Limits.SectorsPerItem);
    }

    public static IncidentStatus ToDomain(Proto.TransitionIncidentRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Enum("target_status", request.TargetStatus);
        v.MaxLength("reason", request.Reason, Limits.ReasonLength);
        v.ThrowIfAny();
        return CommonMapping.ToDomain(request.TargetStatus);
    }

    public static void Check(Proto.AssignIncidentRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        FieldRules.UserName(v, "assignee", request.Assignee, required: false);
        v.ThrowIfAny();
    }

    /// <summary>The page of the timeline asked for: its size, and the entry it ends before (0: the newest).</summary>
    public static (int PageSize, int Before) ToDomain(Proto.GetIncidentRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        if (request.TimelinePageSize < 0 || request.TimelinePageSize > Limits.MaxTimelinePageSize)
        {
            v.Add("timeline_page_size", $"must be between 1 and {Limits.MaxTimelinePageSize}");
        }

        var before = TimelinePageToken.Before(request.TimelinePageToken, v);
        v.ThrowIfAny();
        return (request.TimelinePageSize == 0 ? Limits.TimelinePageSize : request.TimelinePageSize, before);
    }

    /// <summary>The note's visibility as asked (unspecified: the author's default, IncidentNotes).</summary>
    public static TimelineVisibility ToDomain(Proto.AddNoteRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Required("text", request.Text, Limits.NoteLength);
        v.Enum("visibility", request.Visibility, required: false);
        v.ThrowIfAny();
        return (TimelineVisibility)(int)request.Visibility;
    }

    public static Observable[] ToDomain(Proto.AddObservablesRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        if (request.Observables.Count == 0)
        {
            v.Add("observables", "must hold at least one observable");
        }

        v.MaxCount("observables", request.Observables, Limits.ObservablesPerRequest);
        var observables = request.Observables.Count <= Limits.ObservablesPerRequest
            ? CommonMapping.ToDomain(request.Observables, "observables", v)
            : [];
        v.ThrowIfAny();
        return observables;
    }

    public static PostIncidentReview ToDomain(Proto.RecordReviewRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Required("what_happened", request.WhatHappened, Limits.DescriptionLength);
        v.Required("root_cause", request.RootCause, Limits.DescriptionLength);
        v.MaxLength("what_worked", request.WhatWorked, Limits.DescriptionLength);
        v.MaxLength("lessons", request.Lessons, Limits.DescriptionLength);
        v.MaxCount("follow_up_actions", request.FollowUpActions, Limits.FollowUpActionsPerReview);
        for (var i = 0; i < Math.Min(request.FollowUpActions.Count, Limits.FollowUpActionsPerReview); i++)
        {
            v.Required($"follow_up_actions[{i}]", request.FollowUpActions[i], Limits.ReasonLength);
        }

        v.ThrowIfAny();
        return new PostIncidentReview(
            request.WhatHappened, request.RootCause, request.WhatWorked, request.Lessons, request.FollowUpActions.ToArray(), default, "");
    }

    public static NewIncidentTask ToDomain(Proto.AddTaskRequest request, DateTimeOffset now)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Required("title", request.Title, Limits.TitleLength);
        FieldRules.StakeholderId(v, "assignee_stakeholder_id", request.AssigneeStakeholderId, required: false);
        FieldRules.UserName(v, "assignee_analyst", request.AssigneeAnalyst, required: false);
        if (request.AssigneeStakeholderId.Length > 0 && request.AssigneeAnalyst.Length > 0)
        {
            v.Add("assignee_analyst", "a task is for a stakeholder or an analyst, not both");
        }

        var due = FieldRules.FutureTime(v, "due_at", request.DueAt, now);
        v.ThrowIfAny();
        return new NewIncidentTask(request.Title.Trim(), request.AssigneeStakeholderId, request.AssigneeAnalyst, due);
    }

    public static IncidentTaskStatus ToDomain(Proto.UpdateTaskRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        if (request.TaskNumber < 1)
        {
            v.Add("task_number", "must be 1 or more");
        }

        v.Enum("status", request.Status);
        v.MaxLength("note", request.Note, Limits.ReasonLength);
        v.ThrowIfAny();
        return (IncidentTaskStatus)(int)request.Status;
    }

    public static void Check(Proto.SetRestorationRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        FieldRules.StakeholderId(v, "stakeholder_id", request.StakeholderId);
        v.MaxLength("note", request.Note, Limits.ReasonLength);
        v.ThrowIfAny();
    }

    public static void Check(Proto.ReferToLawEnforcementRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Required("agency", request.Agency, Limits.NameLength);
        v.Required("reference", request.Reference, Limits.IdLength);
        v.MaxLength("note", request.Note, Limits.ReasonLength);
        v.ThrowIfAny();
    }

    public static string[] ToDomain(Proto.AddAffectedStakeholdersRequest request)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        if (request.StakeholderIds.Count == 0)
        {
            v.Add("stakeholder_ids", "must name at least one stakeholder");
        }

        FieldRules.StakeholderIds(v, "stakeholder_ids", request.StakeholderIds, Limits.StakeholdersPerIncident);

        v.ThrowIfAny();
        return [.. request.StakeholderIds.Distinct()];
    }

    /// <summary>A field that does not apply to the chosen outcome is refused rather than silently ignored.</summary>
    private static void NotFor(Violations v, string field, bool isSet, string outcome)
    {
        if (isSet)
        {
            v.Add(field, $"does not apply to TRIAGE_OUTCOME_{outcome}");
        }
    }

    private static void NotForClassification(Violations v, Proto.TriageIncidentRequest request, string outcome)
    {
        NotFor(v, "rsit_class", request.RsitClass.Length > 0, outcome);
        NotFor(v, "rsit_type", request.RsitType.Length > 0, outcome);
        NotFor(v, "severity", request.Severity != Proto.Severity.Unspecified, outcome);
        NotFor(v, "tlp", request.Tlp != Proto.Tlp.Unspecified, outcome);
        NotFor(v, "assignee", request.Assignee.Length > 0, outcome);
        NotFor(v, "confirm_proposed", request.ConfirmProposed, outcome);
        NotFor(v, "confirm_stakeholder_ids", request.ConfirmStakeholderIds.Count > 0, outcome);
        NotFor(v, "confirm_sector_codes", request.ConfirmSectorCodes.Count > 0, outcome);
    }
}
