using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Security;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>cirt.v1.IncidentService: the analyst's work on incidents.</summary>
public sealed class IncidentGrpcService(IGrainFactory grains, IIncidentQueue queue, RsitTaxonomy taxonomy, CirtClock clock)
    : Proto.IncidentService.IncidentServiceBase
{
    private const int DefaultPageSize = 50;
    private const int DefaultDeadlinePageSize = 100;

    public override async Task<Proto.ListIncidentsResponse> ListIncidents(Proto.ListIncidentsRequest request, ServerCallContext context)
    {
        var v = new Violations();
        for (var i = 0; i < request.Statuses.Count; i++)
        {
            v.Enum($"statuses[{i}]", request.Statuses[i]);
        }

        for (var i = 0; i < request.Severities.Count; i++)
        {
            v.Enum($"severities[{i}]", request.Severities[i]);
        }

        if (request.SectorCode.Length > 0)
        {
            FieldRules.SectorCode(v, "sector_code", request.SectorCode);
        }

        FieldRules.StakeholderId(v, "stakeholder_id", request.StakeholderId, required: false);
        v.Enum("order", request.Order, required: false);
        v.ThrowIfAny();

        var pageSize = PageToken.Size(request.PageSize, DefaultPageSize, Limits.MaxPageSize);
        var offset = PageToken.Offset(request.PageToken);
        var query = new IncidentQuery(
            request.Statuses.Select(CommonMapping.ToDomain).ToHashSet(),
            request.SectorCode.Length > 0 ? request.SectorCode : null,
            request.Severities.Select(CommonMapping.ToDomain).ToHashSet(),
            request.StakeholderId.Length > 0 ? request.StakeholderId : null,
            request.Order == Proto.IncidentOrder.MostSevereFirst ? IncidentOrder.MostSevereFirst : IncidentOrder.NewestFirst,
            offset,
            pageSize)
        {
            VisibleToStakeholder = context.Principal() is { IsCirtStaff: false } viewer ? viewer.StakeholderId : null,
        };
        var (page, total) = await queue.QueryAsync(query, context.CancellationToken);
        var response = new Proto.ListIncidentsResponse
        {
            TotalSize = total,
            NextPageToken = PageToken.Next(offset, pageSize, total),
        };
        response.Incidents.AddRange(page.Select(IncidentMapping.ToProto));
        return response;
    }

    public override async Task<Proto.GetIncidentResponse> GetIncident(Proto.GetIncidentRequest request, ServerCallContext context)
    {
        var incident = await Grain(request.TrackingId).GetAsync();
        if (incident is null || !IncidentAccess.CanSee(context.Principal(), incident))
        {
            // Another organisation's incident is answered exactly like one that does not exist.
            throw ErrorInterceptor.ToRpc(CirtException.NotFound("Incident", request.TrackingId));
        }

        return new Proto.GetIncidentResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.TriageIncidentResponse> TriageIncident(Proto.TriageIncidentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Enum("outcome", request.Outcome);
        v.MaxLength("reason", request.Reason, Limits.ReasonLength);
        switch (request.Outcome)
        {
            case Proto.TriageOutcome.Accept:
                if (taxonomy.Refuse(request.RsitClass, request.RsitType) is { } bad)
                {
                    v.Add(bad.Field, bad.Message);
                }

                v.Enum("severity", request.Severity);
                v.Enum("tlp", request.Tlp, required: false);
                FieldRules.UserName(v, "assignee", request.Assignee, required: false);
                NotFor(v, "duplicate_of", request.DuplicateOf.Length > 0, "ACCEPT");
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
        var decision = new TriageDecision(
            (TriageOutcome)(int)request.Outcome,
            request.RsitClass,
            request.RsitType,
            CommonMapping.ToDomain(request.Severity),
            request.Tlp == Proto.Tlp.Unspecified ? null : CommonMapping.ToDomain(request.Tlp),
            request.Assignee,
            request.DuplicateOf,
            request.Reason);
        var incident = await Grain(request.TrackingId).TriageAsync(decision, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.TriageIncidentResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.TransitionIncidentResponse> TransitionIncident(Proto.TransitionIncidentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Enum("target_status", request.TargetStatus);
        v.MaxLength("reason", request.Reason, Limits.ReasonLength);
        v.ThrowIfAny();
        if (request.OverrideRestoration && context.Principal().Role != Role.Coordinator)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "Only a coordinator resolves an incident whose affected stakeholders are not all restored."));
        }

        var incident = await Grain(request.TrackingId).TransitionAsync(
            CommonMapping.ToDomain(request.TargetStatus), request.Reason, request.ExpectedVersion, context.Principal().Actor, request.OverrideRestoration);
        return new Proto.TransitionIncidentResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.AssignIncidentResponse> AssignIncident(Proto.AssignIncidentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        FieldRules.UserName(v, "assignee", request.Assignee, required: false);
        v.ThrowIfAny();
        var incident = await Grain(request.TrackingId).AssignAsync(request.Assignee, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.AssignIncidentResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.AddNoteResponse> AddNote(Proto.AddNoteRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Required("text", request.Text, Limits.NoteLength);
        v.ThrowIfAny();
        var incident = await (await ReachableAsync(request.TrackingId, context)).AddNoteAsync(request.Text, context.Principal().Actor);
        return new Proto.AddNoteResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.AddObservablesResponse> AddObservables(Proto.AddObservablesRequest request, ServerCallContext context)
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
        var result = await (await ReachableAsync(request.TrackingId, context)).AddObservablesAsync(observables, context.Principal().Actor);
        return new Proto.AddObservablesResponse { Incident = ToProto(result.Incident), AddedCount = result.AddedCount };
    }

    public override async Task<Proto.RecordReviewResponse> RecordReview(Proto.RecordReviewRequest request, ServerCallContext context)
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
        var review = new PostIncidentReview(
            request.WhatHappened, request.RootCause, request.WhatWorked, request.Lessons, request.FollowUpActions.ToArray(), default, "");
        var incident = await Grain(request.TrackingId).RecordReviewAsync(review, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.RecordReviewResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.AddTaskResponse> AddTask(Proto.AddTaskRequest request, ServerCallContext context)
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

        var due = FieldRules.FutureTime(v, "due_at", request.DueAt, clock.GetUtcNow());
        v.ThrowIfAny();
        if (request.AssigneeStakeholderId.Length > 0
            && await grains.GetGrain<IStakeholderGrain>(request.AssigneeStakeholderId).GetAsync() is null)
        {
            throw ErrorInterceptor.ToRpc(new CirtException(CirtErrorKind.NotFound,
                $"Stakeholder '{Echo.Of(request.AssigneeStakeholderId)}' was not found.", "assignee_stakeholder_id"));
        }

        var incident = await Grain(request.TrackingId).AddTaskAsync(
            new NewIncidentTask(request.Title.Trim(), request.AssigneeStakeholderId, request.AssigneeAnalyst, due), context.Principal().Actor);
        var now = clock.GetUtcNow();
        return new Proto.AddTaskResponse { Task = IncidentMapping.ToProto(incident.Tasks[^1], now), Incident = IncidentMapping.ToProto(incident, now) };
    }

    public override async Task<Proto.UpdateTaskResponse> UpdateTask(Proto.UpdateTaskRequest request, ServerCallContext context)
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

        var grain = await ReachableAsync(request.TrackingId, context);
        var caller = context.Principal();
        if (!caller.IsCirtStaff)
        {
            var task = (await grain.GetAsync())!.Tasks.FirstOrDefault(t => t.Number == request.TaskNumber);
            if (task is not null && task.AssigneeStakeholderId != caller.StakeholderId)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"Task {request.TaskNumber} of {request.TrackingId} is for {task.AssigneeLabel}; your organisation updates only its own tasks."));
            }
        }

        var incident = await grain.UpdateTaskAsync(request.TaskNumber, (IncidentTaskStatus)(int)request.Status, request.Note, caller.Actor);
        var now = clock.GetUtcNow();
        return new Proto.UpdateTaskResponse
        {
            Task = IncidentMapping.ToProto(incident.Tasks.Single(t => t.Number == request.TaskNumber), now),
            Incident = IncidentMapping.ToProto(incident, now),
        };
    }

    public override async Task<Proto.ListTasksResponse> ListTasks(Proto.ListTasksRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.StakeholderId(v, "assignee_stakeholder_id", request.AssigneeStakeholderId, required: false);
        FieldRules.UserName(v, "assignee_analyst", request.AssigneeAnalyst, required: false);
        v.ThrowIfAny();

        var pageSize = PageToken.Size(request.PageSize, DefaultDeadlinePageSize, Limits.MaxPageSize);
        var offset = PageToken.Offset(request.PageToken);
        var now = clock.GetUtcNow();
        var caller = context.Principal();
        var query = new TaskQuery(!request.IncludeFinished, request.OverdueOnly, now, offset, pageSize)
        {
            // Operators see the tasks assigned to their own organisation, whatever they ask for.
            AssignedToStakeholder = caller.IsCirtStaff
                ? (request.AssigneeStakeholderId.Length > 0 ? request.AssigneeStakeholderId : null)
                : caller.StakeholderId,
            AssignedToAnalyst = request.AssigneeAnalyst.Length > 0 ? request.AssigneeAnalyst : null,
        };
        var (page, total) = await queue.TasksAsync(query, context.CancellationToken);
        var response = new Proto.ListTasksResponse { TotalSize = total, NextPageToken = PageToken.Next(offset, pageSize, total) };
        response.Tasks.AddRange(page.Select(row => new Proto.IncidentTaskRow
        {
            Incident = IncidentMapping.ToProto(row.Incident),
            Task = IncidentMapping.ToProto(row.Task, now),
        }));
        return response;
    }

    public override async Task<Proto.SetRestorationResponse> SetRestoration(Proto.SetRestorationRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        FieldRules.StakeholderId(v, "stakeholder_id", request.StakeholderId);
        v.MaxLength("note", request.Note, Limits.ReasonLength);
        v.ThrowIfAny();
        var grain = await ReachableAsync(request.TrackingId, context);
        var caller = context.Principal();
        if (!caller.IsCirtStaff && request.StakeholderId != caller.StakeholderId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"Your organisation reports its own restoration ({caller.StakeholderId}), not {request.StakeholderId}'s."));
        }

        var incident = await grain.SetRestorationAsync(request.StakeholderId, request.Restored, request.Note, caller.Actor);
        return new Proto.SetRestorationResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.ReferToLawEnforcementResponse> ReferToLawEnforcement(Proto.ReferToLawEnforcementRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.Required("agency", request.Agency, Limits.NameLength);
        v.Required("reference", request.Reference, Limits.IdLength);
        v.MaxLength("note", request.Note, Limits.ReasonLength);
        v.ThrowIfAny();
        var incident = await Grain(request.TrackingId).ReferAsync(request.Agency.Trim(), request.Reference.Trim(), request.Note, context.Principal().Actor);
        return new Proto.ReferToLawEnforcementResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.AddAffectedStakeholdersResponse> AddAffectedStakeholders(
        Proto.AddAffectedStakeholdersRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        if (request.StakeholderIds.Count == 0)
        {
            v.Add("stakeholder_ids", "must name at least one stakeholder");
        }

        v.MaxCount("stakeholder_ids", request.StakeholderIds, Limits.StakeholdersPerIncident);
        for (var i = 0; i < Math.Min(request.StakeholderIds.Count, Limits.StakeholdersPerIncident); i++)
        {
            FieldRules.StakeholderId(v, $"stakeholder_ids[{i}]", request.StakeholderIds[i]);
        }

        v.ThrowIfAny();
        foreach (var id in request.StakeholderIds.Distinct())
        {
            if (await grains.GetGrain<IStakeholderGrain>(id).GetAsync() is null)
            {
                throw ErrorInterceptor.ToRpc(new CirtException(CirtErrorKind.NotFound, $"Stakeholder '{Echo.Of(id)}' was not found.", "stakeholder_ids"));
            }
        }

        var incident = await Grain(request.TrackingId).AddAffectedAsync([.. request.StakeholderIds], context.Principal().Actor);
        return new Proto.AddAffectedStakeholdersResponse { Incident = ToProto(incident) };
    }

    public override async Task<Proto.ListDeadlinesResponse> ListDeadlines(Proto.ListDeadlinesRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.Enum("view", request.View, required: false);
        v.ThrowIfAny();

        var pageSize = PageToken.Size(request.PageSize, DefaultDeadlinePageSize, Limits.MaxPageSize);
        var offset = PageToken.Offset(request.PageToken);
        var now = clock.GetUtcNow();
        var view = request.View switch
        {
            Proto.DeadlineView.Overdue => DeadlineView.Overdue,
            Proto.DeadlineView.All => DeadlineView.All,
            _ => DeadlineView.Open,
        };
        var query = new DeadlineQuery(view, now, offset, pageSize)
        {
            ReportedBy = context.Principal() is { IsCirtStaff: false } viewer ? viewer.StakeholderId : null,
        };
        var (page, total) = await queue.DeadlinesAsync(query, context.CancellationToken);
        var response = new Proto.ListDeadlinesResponse
        {
            TotalSize = total,
            NextPageToken = PageToken.Next(offset, pageSize, total),
        };
        response.Deadlines.AddRange(page.Select(row => new Proto.IncidentDeadline
        {
            Incident = IncidentMapping.ToProto(row.Incident),
            Deadline = IncidentMapping.ToProto(row.Deadline, now),
        }));
        return response;
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
    }

    private IIncidentGrain Grain(string trackingId)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", trackingId);
        v.ThrowIfAny();
        return grains.GetGrain<IIncidentGrain>(trackingId);
    }

    /// <summary>The incident's grain, or NOT_FOUND when the caller may not see it (or it does not exist).</summary>
    private async Task<IIncidentGrain> ReachableAsync(string trackingId, ServerCallContext context)
    {
        var grain = Grain(trackingId);
        var caller = context.Principal();
        if (!caller.IsCirtStaff && (await grain.GetAsync() is not { } incident || !IncidentAccess.CanSee(caller, incident)))
        {
            throw ErrorInterceptor.ToRpc(CirtException.NotFound("Incident", trackingId));
        }

        return grain;
    }

    private Proto.Incident ToProto(Incident incident) => IncidentMapping.ToProto(incident, clock.GetUtcNow());

    // NIS2 Art. 23(4)(c) (issue 10): CIRT staff request an intermediate report; the rules are in Nis2Clock.
    public override async Task<Proto.RequestIntermediateReportResponse> RequestIntermediateReport(
        Proto.RequestIntermediateReportRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        var dueAt = Nis2Requests.IntermediateReportDue(v, request, clock.GetUtcNow());
        v.Required("reason", request.Reason, Limits.ReasonLength);
        v.ThrowIfAny();
        var incident = await Grain(request.TrackingId).RequestIntermediateReportAsync(dueAt!.Value, request.Reason.Trim(), context.Principal().Actor);
        var now = clock.GetUtcNow();
        return new Proto.RequestIntermediateReportResponse
        {
            Deadline = IncidentMapping.ToProto(incident.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2IntermediateReport), now),
            Incident = IncidentMapping.ToProto(incident, now),
        };
    }
}
