using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using Cirt.Server.Api;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>
/// cirt.v1.IncidentService: the analyst's work on incidents. Each call checks the request's shape
/// (<see cref="IncidentRequests"/>), makes one grain call for the caller (the grain decides what
/// the caller reaches and may do) or one read-model query, and maps the answer.
/// </summary>
public sealed class IncidentGrpcService(IGrainFactory grains, IIncidentQueue queue, CirtClock clock, SignedPageTokens pageTokens, IncidentWatchers watchers)
    : Proto.IncidentService.IncidentServiceBase
{
    private const int DefaultPageSize = 50;
    private const int DefaultDeadlinePageSize = 100;

    public override async Task<Proto.ListIncidentsResponse> ListIncidents(Proto.ListIncidentsRequest request, ServerCallContext context)
    {
        var v = new Violations();
        IncidentFilter.Check(v, request.Statuses, request.Severities, request.SectorCode, request.StakeholderId, request.Order);
        v.ThrowIfAny();

        var pageSize = PageToken.Size(request.PageSize, DefaultPageSize, Limits.MaxPageSize);
        var caller = context.Principal();
        // One row more than the page, to know whether another page follows.
        var query = IncidentFilter.ToQuery(
            request.Statuses, request.Severities, request.SectorCode, request.StakeholderId, request.Order, pageSize + 1, caller);
        var digest = QueuePages.Digest(query, caller);
        query = query with { After = QueuePages.IncidentAfter(pageTokens.Read(request.PageToken, digest)) };
        var (rows, total) = await queue.QueryAsync(query, context.CancellationToken);
        var page = rows.Take(pageSize).ToArray();
        var response = new Proto.ListIncidentsResponse
        {
            TotalSize = total,
            NextPageToken = rows.Count > pageSize ? pageTokens.Issue(digest, QueuePages.Position(IncidentPosition.Of(page[^1]))) : "",
        };
        response.Incidents.AddRange(page.Select(IncidentMapping.ToProto));
        return response;
    }

    public override async Task<Proto.GetIncidentResponse> GetIncident(Proto.GetIncidentRequest request, ServerCallContext context)
    {
        var (pageSize, before) = IncidentRequests.ToDomain(request);
        var caller = context.Principal();
        var incident = await Grain(request.TrackingId).GetVisibleAsync(caller);
        var (read, window) = IncidentMapping.Read(incident, caller, clock.GetUtcNow(), pageSize, before);
        return new Proto.GetIncidentResponse { Incident = read, TimelineNextPageToken = TimelinePageToken.Next(window) };
    }

    public override async Task<Proto.TriageIncidentResponse> TriageIncident(Proto.TriageIncidentRequest request, ServerCallContext context)
    {
        var decision = IncidentRequests.ToDomain(request);
        var incident = await Grain(request.TrackingId).TriageAsync(decision, request.ExpectedVersion, context.Principal());
        return new Proto.TriageIncidentResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.TransitionIncidentResponse> TransitionIncident(Proto.TransitionIncidentRequest request, ServerCallContext context)
    {
        var target = IncidentRequests.ToDomain(request);
        var incident = await Grain(request.TrackingId).TransitionAsync(
            target, request.Reason, request.ExpectedVersion, context.Principal(), request.OverrideRestoration);
        return new Proto.TransitionIncidentResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.AssignIncidentResponse> AssignIncident(Proto.AssignIncidentRequest request, ServerCallContext context)
    {
        IncidentRequests.Check(request);
        var incident = await Grain(request.TrackingId).AssignAsync(request.Assignee, request.ExpectedVersion, context.Principal());
        return new Proto.AssignIncidentResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.AddNoteResponse> AddNote(Proto.AddNoteRequest request, ServerCallContext context)
    {
        var visibility = IncidentRequests.ToDomain(request);
        var incident = await Grain(request.TrackingId).AddNoteAsync(request.Text, context.Principal(), visibility, request.ExpectedVersion);
        return new Proto.AddNoteResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.AddObservablesResponse> AddObservables(Proto.AddObservablesRequest request, ServerCallContext context)
    {
        var observables = IncidentRequests.ToDomain(request);
        var result = await Grain(request.TrackingId).AddObservablesAsync(observables, context.Principal(), request.ExpectedVersion);
        return new Proto.AddObservablesResponse { Incident = ToProto(result.Incident, context), AddedCount = result.AddedCount };
    }

    public override async Task<Proto.RecordReviewResponse> RecordReview(Proto.RecordReviewRequest request, ServerCallContext context)
    {
        var review = IncidentRequests.ToDomain(request);
        var incident = await Grain(request.TrackingId).RecordReviewAsync(review, request.ExpectedVersion, context.Principal());
        return new Proto.RecordReviewResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.AddTaskResponse> AddTask(Proto.AddTaskRequest request, ServerCallContext context)
    {
        var task = IncidentRequests.ToDomain(request, clock.GetUtcNow());
        var incident = await Grain(request.TrackingId).AddTaskAsync(task, context.Principal(), request.ExpectedVersion);
        var now = clock.GetUtcNow();
        return new Proto.AddTaskResponse { Task = IncidentMapping.ToProto(incident.Tasks[^1], now), Incident = IncidentMapping.ToProto(incident, context.Principal(), now) };
    }

    public override async Task<Proto.UpdateTaskResponse> UpdateTask(Proto.UpdateTaskRequest request, ServerCallContext context)
    {
        var status = IncidentRequests.ToDomain(request);
        var incident = await Grain(request.TrackingId).UpdateTaskAsync(request.TaskNumber, status, request.Note, context.Principal(), request.ExpectedVersion);
        var now = clock.GetUtcNow();
        return new Proto.UpdateTaskResponse
        {
            Task = IncidentMapping.ToProto(incident.Tasks.Single(t => t.Number == request.TaskNumber), now),
            Incident = IncidentMapping.ToProto(incident, context.Principal(), now),
        };
    }

    public override async Task<Proto.ListTasksResponse> ListTasks(Proto.ListTasksRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.StakeholderId(v, "assignee_stakeholder_id", request.AssigneeStakeholderId, required: false);
        FieldRules.UserName(v, "assignee_analyst", request.AssigneeAnalyst, required: false);
        v.ThrowIfAny();

        var pageSize = PageToken.Size(request.PageSize, DefaultDeadlinePageSize, Limits.MaxPageSize);
        var now = clock.GetUtcNow();
        var caller = context.Principal();
        // Operators see the tasks their own organisation has, whatever they ask for.
        var query = new TaskQuery(!request.IncludeFinished, request.OverdueOnly, now, pageSize + 1)
        {
            AssignedToStakeholder = request.AssigneeStakeholderId.Length > 0 ? request.AssigneeStakeholderId : null,
            AssignedToAnalyst = request.AssigneeAnalyst.Length > 0 ? request.AssigneeAnalyst : null,
        }.SeenBy(caller);
        var digest = QueuePages.Digest(query, caller);
        query = query with { After = QueuePages.TaskAfter(pageTokens.Read(request.PageToken, digest)) };
        var (rows, total, lowerBound) = await queue.TasksAsync(query, context.CancellationToken);
        var page = rows.Take(pageSize).ToArray();
        var response = new Proto.ListTasksResponse
        {
            TotalSize = total,
            TotalIsLowerBound = lowerBound,
            NextPageToken = rows.Count > pageSize ? pageTokens.Issue(digest, QueuePages.Position(TaskPosition.Of(page[^1]))) : "",
        };
        response.Tasks.AddRange(page.Select(row => IncidentMapping.ToProto(row, now)));
        return response;
    }

    public override async Task<Proto.SetRestorationResponse> SetRestoration(Proto.SetRestorationRequest request, ServerCallContext context)
    {
        IncidentRequests.Check(request);
        var incident = await Grain(request.TrackingId).SetRestorationAsync(request.StakeholderId, request.Restored, request.Note, context.Principal(), request.ExpectedVersion);
        return new Proto.SetRestorationResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.ReferToLawEnforcementResponse> ReferToLawEnforcement(Proto.ReferToLawEnforcementRequest request, ServerCallContext context)
    {
        IncidentRequests.Check(request);
        var incident = await Grain(request.TrackingId).ReferAsync(request.Agency.Trim(), request.Reference.Trim(), request.Note, context.Principal(), request.ExpectedVersion);
        return new Proto.ReferToLawEnforcementResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.AddAffectedStakeholdersResponse> AddAffectedStakeholders(
        Proto.AddAffectedStakeholdersRequest request, ServerCallContext context)
    {
        var stakeholderIds = IncidentRequests.ToDomain(request);
        var incident = await Grain(request.TrackingId).AddAffectedAsync(stakeholderIds, context.Principal(), request.ExpectedVersion);
        return new Proto.AddAffectedStakeholdersResponse { Incident = ToProto(incident, context) };
    }

    public override async Task<Proto.RequestIntermediateReportResponse> RequestIntermediateReport(
        Proto.RequestIntermediateReportRequest request, ServerCallContext context)
    {
        var (dueAt, reason) = Nis2Requests.ToDomain(request, clock.GetUtcNow());
        var incident = await Grain(request.TrackingId).RequestIntermediateReportAsync(dueAt, reason, context.Principal(), request.ExpectedVersion);
        var now = clock.GetUtcNow();
        return new Proto.RequestIntermediateReportResponse
        {
            Deadline = IncidentMapping.ToProto(incident.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2IntermediateReport), now),
            Incident = IncidentMapping.ToProto(incident, context.Principal(), now),
        };
    }

    public override async Task<Proto.ListDeadlinesResponse> ListDeadlines(Proto.ListDeadlinesRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.Enum("view", request.View, required: false);
        v.ThrowIfAny();

        var pageSize = PageToken.Size(request.PageSize, DefaultDeadlinePageSize, Limits.MaxPageSize);
        var now = clock.GetUtcNow();
        var caller = context.Principal();
        var view = request.View switch
        {
            Proto.DeadlineView.Overdue => DeadlineView.Overdue,
            Proto.DeadlineView.All => DeadlineView.All,
            _ => DeadlineView.Open,
        };
        var query = new DeadlineQuery(view, now, pageSize + 1).SeenBy(caller);
        var digest = QueuePages.Digest(query, caller);
        query = query with { After = QueuePages.DeadlineAfter(pageTokens.Read(request.PageToken, digest)) };
        var (rows, total, lowerBound) = await queue.DeadlinesAsync(query, context.CancellationToken);
        var page = rows.Take(pageSize).ToArray();
        var response = new Proto.ListDeadlinesResponse
        {
            TotalSize = total,
            TotalIsLowerBound = lowerBound,
            NextPageToken = rows.Count > pageSize ? pageTokens.Issue(digest, QueuePages.Position(DeadlinePosition.Of(page[^1]))) : "",
        };
        response.Deadlines.AddRange(page.Select(row => IncidentMapping.ToProto(row, now)));
        return response;
    }

    public override async Task<Proto.ShareIncidentResponse> ShareIncident(Proto.ShareIncidentRequest request, ServerCallContext context)
    {
        IncidentRequests.Check(request);
        var shared = await Grain(request.TrackingId).ShareAsync(request.PartnerId, context.Principal(), request.ExpectedVersion);
        return new Proto.ShareIncidentResponse
        {
            Incident = ToProto(shared.Incident, context),
            MessageId = shared.Outcome.MessageId,
            State = (Proto.OutboxState)(int)(shared.Outcome.State ?? OutboxState.Queued),
        };
    }

    public override async Task<Proto.LinkIncidentResponse> LinkIncident(Proto.LinkIncidentRequest request, ServerCallContext context)
    {
        IncidentRequests.Check(request);
        var incident = await Grain(request.TrackingId).LinkAsync(request.LinkedTrackingId, context.Principal(), request.ExpectedVersion);
        return new Proto.LinkIncidentResponse { Incident = ToProto(incident, context) };
    }

    public override async Task WatchIncidents(
        Proto.WatchIncidentsRequest request, IServerStreamWriter<Proto.WatchIncidentsResponse> responseStream, ServerCallContext context)
    {
        var v = new Violations();
        IncidentFilter.Check(v, request.Statuses, request.Severities, request.SectorCode, request.StakeholderId, request.Order);
        if (request.SnapshotSize < 0 || request.SnapshotSize > Limits.MaxPageSize)
        {
            v.Add("snapshot_size", $"must be between 1 and {Limits.MaxPageSize}");
        }

        v.ThrowIfAny();

        var caller = context.Principal();
        var cancellationToken = context.CancellationToken;
        var snapshotSize = request.SnapshotSize == 0 ? DefaultPageSize : request.SnapshotSize;
        var filter = IncidentFilter.ToQuery(
            request.Statuses, request.Severities, request.SectorCode, request.StakeholderId, request.Order, snapshotSize, caller);
        var deadlinesSeen = new DeadlineQuery(DeadlineView.All, clock.GetUtcNow(), 0).SeenBy(caller);

        // Subscribe first, then read the snapshot: what changes in between is pushed as well, and
        // told once (WatchedIncidents skips versions the snapshot already carried).
        using var watch = watchers.Subscribe(filter);
        try
        {
            await SendSnapshotAsync();
            while (true)
            {
                await watch.WaitAsync(cancellationToken);
                foreach (var incident in watch.TakePending())
                {
                    if (watch.Incidents.Observe(incident) is { } change)
                    {
                        await SendAsync(ToWatchKind(change), incident);
                    }
                }

                if (watch.TakeFellBehind())
                {
                    await SendSnapshotAsync();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }

        async Task SendSnapshotAsync()
        {
            var (page, _) = await queue.QueryAsync(filter with { WithDeadlinesAndTasks = true }, cancellationToken);
            watch.Incidents.Reset(page);
            foreach (var incident in page)
            {
                await SendAsync(Proto.WatchEventKind.Snapshot, incident);
            }

            await responseStream.WriteAsync(new Proto.WatchIncidentsResponse { Kind = Proto.WatchEventKind.Current }, cancellationToken);
        }

        async Task SendAsync(Proto.WatchEventKind kind, IncidentSummary incident)
        {
            var response = new Proto.WatchIncidentsResponse { Kind = kind, TrackingId = incident.TrackingId, Version = incident.Version };
            // One that left because its reader may no longer see it goes with its id alone.
            if (IncidentAccess.CanSee(caller, incident))
            {
                var now = clock.GetUtcNow();
                response.Incident = IncidentMapping.ToProto(incident);
                response.Deadlines.AddRange(incident.Deadlines
                    .Where(d => deadlinesSeen.Matches(incident, d))
                    .Select(d => IncidentMapping.ToProto(d, now)));
            }

            await responseStream.WriteAsync(response, cancellationToken);
        }
    }

    private static Proto.WatchEventKind ToWatchKind(WatchChange change) => change switch
    {
        WatchChange.Created => Proto.WatchEventKind.Created,
        WatchChange.Entered => Proto.WatchEventKind.Entered,
        WatchChange.Changed => Proto.WatchEventKind.Changed,
        _ => Proto.WatchEventKind.Left,
    };

    /// <summary>The incident's grain; its tracking id's shape was checked with the rest of the request.</summary>
    private IIncidentGrain Grain(string trackingId) => grains.GetGrain<IIncidentGrain>(trackingId);

    /// <summary>The incident as the caller reads it (IncidentDisclosure), with the newest window of its timeline.</summary>
    private Proto.Incident ToProto(Incident incident, ServerCallContext context) => IncidentMapping.ToProto(incident, context.Principal(), clock.GetUtcNow());
}
