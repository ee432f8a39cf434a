using Cirt.Grains.Common;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cirt.Grains.Incidents;

public sealed class IncidentGrain(
    [PersistentState("incident", StorageNames.Cirt)] IPersistentState<IncidentState> state,
    IIncidentQueue queue,
    RsitTaxonomy taxonomy,
    CirtClock clock,
    IOptions<DeadlineOptions> deadlineOptions,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain, IRemindable
{
    private const Tlp DefaultTlp = Tlp.Amber;

    /// <summary>The durable reminder that watches the incident's running deadlines.</summary>
    public const string DeadlineReminder = "deadlines";

    /// <summary>Observables kept on an automated incident: a sample, not every address of a botnet.</summary>
    private const int AutomatedObservableLimit = 200;

    private string TrackingId => this.GetPrimaryKeyString();

    private Incident Current => state.State.Incident ?? throw CirtException.NotFound("Incident", TrackingId);

    public async Task<Incident> OpenAsync(IncidentReport report, Nis2EntityClass reporterEntityClass, string[] sectorCodes, string actor)
    {
        if (state.State.Incident is { } existing)
        {
            if (existing.RequestId == report.RequestId)
            {
                return existing;
            }

            throw new CirtException(CirtErrorKind.AlreadyExists, $"Incident '{TrackingId}' already exists.");
        }

        var now = clock.GetUtcNow();
        var awareAt = report.AwareAt ?? now;
        Deadline[] deadlines =
        [
            deadlineOptions.Value.TriageDeadline(report.Severity, now),
            .. Nis2Clock.Applies(reporterEntityClass, report.Significant) ? Nis2Clock.Start(awareAt, now) : [],
        ];
        var summary = (report.Exercise ? "EXERCISE. " : "") + $"Reported by {report.ReporterStakeholderId}: {report.Title}"
                      + (deadlines.Any(d => Nis2Clock.IsStage(d.Kind)) ? " (significant incident of a NIS2 " + reporterEntityClass.ToString().ToLowerInvariant() + " entity: reporting deadlines run)" : "");
        var incident = new Incident
        {
            TrackingId = TrackingId,
            RequestId = report.RequestId,
            Title = report.Title,
            Description = report.Description,
            ReporterStakeholderId = report.ReporterStakeholderId,
            ReporterContact = report.Contact,
            ReporterEntityClass = reporterEntityClass,
            AffectedStakeholderIds = report.AffectedStakeholderIds.Prepend(report.ReporterStakeholderId).Distinct().ToArray(),
            SectorCodes = sectorCodes.Distinct().Order(StringComparer.Ordinal).ToArray(),
            RsitClass = report.RsitClass,
            RsitType = report.RsitType,
            Severity = report.Severity,
            Tlp = report.Tlp ?? DefaultTlp,
            Status = IncidentStatus.Reported,
            Observables = Deduplicate([], report.Observables).All,
            Deadlines = deadlines,
            Significant = report.Significant,
            Exercise = report.Exercise,
            SuspectedMalicious = report.SuspectedMalicious,
            CrossBorderImpact = report.CrossBorderImpact,
            AwareAt = awareAt,
            ReportedAt = now,
            UpdatedAt = now,
            Version = 1,
            Timeline = [new TimelineEntry(1, now, actor, "reported", summary)],
        };

        await SaveAsync(incident);
        await WatchDeadlinesAsync(incident);
        logger.LogInformation("Incident {IncidentId} reported by {Actor} for {Stakeholder}", TrackingId, actor, report.ReporterStakeholderId);
        return incident;
    }

    public Task<Incident?> GetAsync() => Task.FromResult(state.State.Incident);

    public async Task<Incident> TriageAsync(TriageDecision decision, long expectedVersion, string actor)
    {
        var current = Current;
        Versioning.Check("Incident", TrackingId, expectedVersion, current.Version);
        if (IncidentLifecycle.RefuseTriage(current.Status) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal);
        }

        Incident next;
        switch (decision.Outcome)
        {
            case TriageOutcome.Accept:
                if (taxonomy.Refuse(decision.RsitClass, decision.RsitType) is { } bad)
                {
                    throw new CirtException(CirtErrorKind.InvalidArgument, bad.Message, bad.Field);
                }

                next = current with
                {
                    Status = IncidentStatus.Triaged,
                    RsitClass = decision.RsitClass,
                    RsitType = decision.RsitType,
                    Severity = decision.Severity,
                    Tlp = decision.Tlp ?? current.Tlp,
                    Assignee = decision.Assignee.Length > 0 ? decision.Assignee : current.Assignee,
                };
                next = Append(next, actor, "triaged",
                    $"Triaged as {next.RsitClass}/{next.RsitType}, severity {next.Severity}, TLP:{TlpLabels.Of(next.Tlp)}"
                    + (next.Assignee.Length > 0 ? $", assigned to {next.Assignee}" : "")
                    + Because(decision.Reason));
                break;
            case TriageOutcome.Reject:
                next = Append(current with { Status = IncidentStatus.Rejected }, actor, "rejected", "Rejected" + Because(decision.Reason));
                break;
            case TriageOutcome.Duplicate:
                if (decision.DuplicateOf == TrackingId)
                {
                    throw new CirtException(CirtErrorKind.InvalidArgument, "An incident cannot be a duplicate of itself.", "duplicate_of");
                }

                var original = GrainFactory.GetGrain<IIncidentGrain>(decision.DuplicateOf);
                if (await original.GetAsync() is null)
                {
                    throw new CirtException(CirtErrorKind.NotFound, $"Incident '{decision.DuplicateOf}' was not found.", "duplicate_of");
                }

                await original.LinkDuplicateAsync(TrackingId, actor);
                next = Append(current with { Status = IncidentStatus.Duplicate, DuplicateOf = decision.DuplicateOf },
                    actor, "marked-duplicate", $"Marked as duplicate of {decision.DuplicateOf}" + Because(decision.Reason));
                break;
            default:
                throw new CirtException(CirtErrorKind.InvalidArgument, "Unknown triage outcome.", "outcome");
        }

        var triagedAt = clock.GetUtcNow();
        next = next with { Deadlines = next.Deadlines.Select(d => d.Kind == DeadlineKind.Triage && d.MetAt is null ? d with { MetAt = triagedAt } : d).ToArray() };
        if (decision.Outcome == TriageOutcome.Accept)
        {
            next = await WithPlaybookTasksAsync(next, triagedAt);
        }

        await SaveAsync(next);
        await WatchDeadlinesAsync(next);
        logger.LogInformation("Incident {IncidentId} triaged by {Actor}: {Outcome}", TrackingId, actor, decision.Outcome);
        return next;
    }

    public async Task<Incident> TransitionAsync(IncidentStatus target, string reason, long expectedVersion, string actor, bool overrideRestoration = false)
    {
        var current = Current;
        Versioning.Check("Incident", TrackingId, expectedVersion, current.Version);
        if (IncidentLifecycle.RefuseTransition(current.Status, target) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal, "target_status");
        }

        var unrestored = current.Unrestored();
        if (current.Status == IncidentStatus.Recovering && target == IncidentStatus.Resolved && unrestored.Length > 0)
        {
            if (!overrideRestoration)
            {
                throw new CirtException(CirtErrorKind.FailedPrecondition,
                    $"Incident {TrackingId} is resolved once every affected stakeholder is restored; not yet restored: {string.Join(", ", unrestored)}. "
                    + "Record restoration (SetRestoration), or a coordinator overrides with a reason.", "target_status");
            }

            if (reason.Trim().Length == 0)
            {
                throw new CirtException(CirtErrorKind.InvalidArgument, "Resolving with stakeholders not restored needs a reason.", "reason");
            }

            reason = $"{reason} (resolved with {string.Join(", ", unrestored)} not restored)";
        }

        if (target == IncidentStatus.Closed && current.Review is null && PostIncidentReview.RequiredFor(current.Severity))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {TrackingId} is {current.Severity}: it is closed only after its post-incident review (RecordReview; in the console: cirt review record {TrackingId}).",
                "target_status");
        }

        var kind = current.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate ? "reopened" : "transitioned";
        var next = current with { Status = target, DuplicateOf = target == IncidentStatus.Reported ? "" : current.DuplicateOf };
        next = Append(next, actor, kind, $"{current.Status} → {target}" + Because(reason));
        await SaveAsync(next);
        await WatchDeadlinesAsync(next); // a reopened report's deadlines run again
        logger.LogInformation("Incident {IncidentId} moved from {From} to {To} by {Actor}", TrackingId, current.Status, target, actor);
        return next;
    }

    public async Task<Incident> AssignAsync(string assignee, long expectedVersion, string actor)
    {
        var current = Current;
        Versioning.Check("Incident", TrackingId, expectedVersion, current.Version);
        if (current.Assignee == assignee)
        {
            return current;
        }

        var summary = assignee.Length == 0 ? $"Unassigned (was {current.Assignee})" : $"Assigned to {assignee}";
        var next = Append(current with { Assignee = assignee }, actor, "assigned", summary);
        await SaveAsync(next);
        return next;
    }

    public async Task<Incident> AddNoteAsync(string text, string actor)
    {
        var next = Append(Current, actor, "note", text);
        await SaveAsync(next);
        return next;
    }

    public async Task<Incident> AddTaskAsync(NewIncidentTask task, string actor)
    {
        var current = Current;
        RefuseTaskLimit(current, 1);
        var now = clock.GetUtcNow();
        var added = new IncidentTask(
            current.Tasks.Length + 1, task.Title, task.AssigneeStakeholderId, task.AssigneeAnalyst, task.DueAt,
            IncidentTaskStatus.Open, now, actor, "", now);
        var next = Append(current with { Tasks = [.. current.Tasks, added] }, actor, "task-added",
            $"Task {added.Number} for {added.AssigneeLabel}" + (added.DueAt is { } due ? $", due {due:u}" : "") + $": {added.Title}");
        await SaveAsync(next);
        return next;
    }

    public async Task<Incident> UpdateTaskAsync(int number, IncidentTaskStatus status, string note, string actor)
    {
        var current = Current;
        var task = current.Tasks.FirstOrDefault(t => t.Number == number)
                   ?? throw new CirtException(CirtErrorKind.NotFound, $"Incident {TrackingId} has no task {number} (it has {current.Tasks.Length}).", "task_number");
        if (task.Status == status)
        {
            return current;
        }

        if (!task.IsOpen)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Task {number} of {TrackingId} is {task.Status}: finished tasks stay as they are; add a new task instead.", "status");
        }

        var now = clock.GetUtcNow();
        var updated = task with { Status = status, UpdatedAt = now };
        var next = Append(current with { Tasks = current.Tasks.Select(t => t.Number == number ? updated : t).ToArray() }, actor, "task-updated",
            $"Task {number} ({task.Title}): {task.Status} → {status}" + Because(note));
        await SaveAsync(next);
        return next;
    }

    public async Task<Incident> SetRestorationAsync(string stakeholderId, bool restored, string note, string actor)
    {
        var current = Current;
        if (!current.AffectedStakeholderIds.Contains(stakeholderId))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"'{Echo.Of(stakeholderId)}' is not among the stakeholders affected by {TrackingId} ({string.Join(", ", current.AffectedStakeholderIds)}).", "stakeholder_id");
        }

        if (current.Status is not (IncidentStatus.Triaged or IncidentStatus.Responding or IncidentStatus.Recovering))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Restoration is recorded while an incident is being worked (triaged, responding, recovering); {TrackingId} is {current.Status}.", "tracking_id");
        }

        var now = clock.GetUtcNow();
        var restoration = new Restoration(stakeholderId, restored, now, actor, note);
        var next = current with
        {
            Restorations = [.. current.Restorations.Where(r => r.StakeholderId != stakeholderId), restoration],
        };
        var left = next.Unrestored();
        next = Append(next, actor, "restoration",
            $"{stakeholderId} {(restored ? "restored" : "not restored")}" + Because(note)
            + (left.Length == 0 ? "; every affected stakeholder is restored" : $"; still to restore: {string.Join(", ", left)}"));
        await SaveAsync(next);
        return next;
    }

    public async Task<Incident> AddAffectedAsync(string[] stakeholderIds, string actor)
    {
        var current = Current;
        var added = stakeholderIds.Distinct().Where(id => !current.AffectedStakeholderIds.Contains(id)).ToArray();
        if (added.Length == 0)
        {
            return current;
        }

        if (current.AffectedStakeholderIds.Length + added.Length > Limits.StakeholdersPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"An incident has at most {Limits.StakeholdersPerIncident} affected stakeholders; {TrackingId} has {current.AffectedStakeholderIds.Length}.", "stakeholder_ids");
        }

        var next = Append(current with { AffectedStakeholderIds = [.. current.AffectedStakeholderIds, .. added] }, actor, "affected-added",
            $"Affected stakeholder(s) added: {string.Join(", ", added)}"
            + (TlpPolicyReachesInvolved(current.Tlp) ? "; they are notified" : $"; at TLP:{TlpLabels.Of(current.Tlp)} they do not see the incident"));
        await SaveAsync(next);
        return next;
    }

    private static bool TlpPolicyReachesInvolved(Tlp tlp) => Security.TlpPolicy.MayReceive(tlp, Security.Audience.InvolvedOrganisation);

    public async Task<Incident> ReferAsync(string agency, string reference, string note, string actor)
    {
        var current = Current;
        if (current.Referrals.Any(r => r.Agency == agency && r.Reference == reference))
        {
            return current;
        }

        var referral = new LawEnforcementReferral(agency, reference, clock.GetUtcNow(), actor, note);
        var next = Append(current with { Referrals = [.. current.Referrals, referral] }, actor, "referred",
            $"Referred to {agency} (their reference {reference})" + Because(note));
        await SaveAsync(next);
        logger.LogInformation("Incident {IncidentId} referred to {Agency} by {Actor}", TrackingId, agency, actor);
        return next;
    }

    public async Task<Incident> RecordReviewAsync(PostIncidentReview review, long expectedVersion, string actor)
    {
        var current = Current;
        Versioning.Check("Incident", TrackingId, expectedVersion, current.Version);
        if (current.Status is not (IncidentStatus.Recovering or IncidentStatus.Resolved))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"A post-incident review is recorded once the incident is recovering or resolved; {TrackingId} is {current.Status}.", "tracking_id");
        }

        var recorded = review with { RecordedAt = clock.GetUtcNow(), RecordedBy = actor };
        var followUps = recorded.FollowUpActions.Length == 0 ? "no follow-up actions" : $"{recorded.FollowUpActions.Length} follow-up action(s)";
        var next = Append(current with { Review = recorded }, actor, "reviewed",
            (current.Review is null ? "Post-incident review recorded" : "Post-incident review revised") + $": root cause: {recorded.RootCause}; {followUps}");
        await SaveAsync(next);
        return next;
    }

    public async Task<ObservablesAdded> AddObservablesAsync(Observable[] observables, string actor)
    {
        var current = Current;
        var (all, added) = Deduplicate(current.Observables, observables);
        if (added.Length == 0)
        {
            return new ObservablesAdded(current, 0);
        }

        if (all.Length > Limits.ObservablesPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"An incident holds at most {Limits.ObservablesPerIncident} observables; this one has {current.Observables.Length} and {added.Length} would be added.",
                "observables");
        }

        var listed = string.Join(", ", added.Take(5).Select(o => $"{o.Type} {o.Value}")) + (added.Length > 5 ? $" and {added.Length - 5} more" : "");
        var next = Append(current with { Observables = all }, actor, "observables-added", $"Added {added.Length} observable(s): {listed}");
        await SaveAsync(next);
        return new ObservablesAdded(next, added.Length);
    }

    public async Task<Incident> OpenAutomatedAsync(Ingest.EventAggregate aggregate, string stakeholderName, string[] sectorCodes, Nis2EntityClass entityClass)
    {
        if (state.State.Incident is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var title = $"{aggregate.RsitType} in {stakeholderName}'s network on {aggregate.Day:yyyy-MM-dd}";
        var incident = new Incident
        {
            TrackingId = TrackingId,
            RequestId = "ingest:" + aggregate.Key,
            Title = title.Length <= Limits.TitleLength ? title : title[..Limits.TitleLength],
            Description = $"Automated events of type {aggregate.RsitClass}/{aggregate.RsitType} routed to {stakeholderName} ({aggregate.StakeholderId}) by its constituency, aggregated per UTC day.",
            ReporterStakeholderId = aggregate.StakeholderId,
            ReporterContact = ReporterContact.None,
            ReporterEntityClass = entityClass,
            AffectedStakeholderIds = [aggregate.StakeholderId],
            SectorCodes = sectorCodes,
            RsitClass = aggregate.RsitClass,
            RsitType = aggregate.RsitType,
            Tlp = aggregate.Tlp, // issue 10 (ingest): the most restrictive TLP of its events
            Status = IncidentStatus.Reported,
            Observables = [],
            Deadlines = [],
            AwareAt = now,
            ReportedAt = now,
            UpdatedAt = now,
            Version = 1,
            Origin = IncidentOrigins.Ingest,
            Timeline = [new TimelineEntry(1, now, "system:ingest", "reported", $"Opened from automated events: {title}")],
        };
        await SaveAsync(incident);
        logger.LogInformation("Incident {IncidentId} opened from automated events for {Aggregate}", TrackingId, aggregate.Key);
        return incident;
    }

    public async Task<Incident> RecordEventsAsync(Ingest.EventAggregate aggregate)
    {
        var current = Current;
        if (aggregate.UpToSeq <= current.LastEventSeq)
        {
            return current;
        }

        var (all, _) = Deduplicate(current.Observables, aggregate.Observables);
        if (all.Length > AutomatedObservableLimit)
        {
            all = all[..AutomatedObservableLimit];
        }

        var next = current with
        {
            EventCount = current.EventCount + aggregate.NewEvents,
            DuplicateCount = current.DuplicateCount + aggregate.Duplicates,
            Tlp = Ingest.AutomatedTlp.MostRestrictive(current.Tlp, aggregate.Tlp), // issue 10 (ingest): a more restrictive event raises it
            LastEventSeq = aggregate.UpToSeq,
            Observables = all,
            UpdatedAt = clock.GetUtcNow(),
            Version = current.Version + 1,
        };

        // The timeline says what happened without one entry per batch: at most one entry an hour.
        var lastEventEntry = current.Timeline.LastOrDefault(e => e.Kind == "events");
        if (lastEventEntry is null || clock.GetUtcNow() - lastEventEntry.At >= TimeSpan.FromHours(1))
        {
            next = Append(next with { Version = current.Version }, "system:ingest", "events",
                $"{next.EventCount} event(s) so far ({next.DuplicateCount} duplicates) from {string.Join(", ", aggregate.Feeds)}"
                + (aggregate.MalwareFamilies.Length > 0 ? $"; malware: {string.Join(", ", aggregate.MalwareFamilies)}" : ""));
        }

        await SaveAsync(next);
        return next;
    }

    public async Task<Incident> SubmitNis2ReportAsync(Nis2ReportSubmission submission, string actor)
    {
        var current = Current;
        if (current.Nis2Reports.FirstOrDefault(r => r.RequestId == submission.RequestId) is { } earlier)
        {
            if (earlier.Stage != submission.Stage)
            {
                throw new CirtException(CirtErrorKind.AlreadyExists,
                    $"Request id '{Echo.Of(submission.RequestId)}' was already used for the {Nis2Clock.NameOf(earlier.Stage)} of {TrackingId}.", "request_id");
            }

            return current;
        }

        if (!current.Deadlines.Any(d => Nis2Clock.IsStage(d.Kind)))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {TrackingId} has no NIS2 reporting obligations: it was not reported as a significant incident of an essential or important entity.",
                "tracking_id");
        }

        if (current.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {TrackingId} is {current.Status}: its NIS2 reporting obligations ended; report a new incident if needed.", "tracking_id");
        }

        if (submission.Stage == DeadlineKind.Nis2FinalReport
            && current.Deadlines.Any(d => d.Kind == DeadlineKind.Nis2Notification && d.MetAt is null))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"The final report of {TrackingId} follows the incident notification, which has not been received yet: submit the notification first.", "stage");
        }

        if (current.Nis2Reports.Length >= Limits.Nis2ReportsPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {TrackingId} has reached the limit of {Limits.Nis2ReportsPerIncident} NIS2 reports.");
        }

        var now = clock.GetUtcNow();
        var before = current.Deadlines.Single(d => d.Kind == submission.Stage);
        var deadlines = Nis2Clock.OnReportReceived(current.Deadlines, submission.Stage, now);
        var met = deadlines.Single(d => d.Kind == submission.Stage);
        var name = Nis2Clock.NameOf(submission.Stage);
        var summary = before.MetAt is not null
            ? $"Update to the {name} received"
            : $"NIS2 {name} received" + (met.StatusAt(now) == DeadlineStatus.MetLate ? $", late (due {met.DueAt:u})" : $", on time (due {met.DueAt:u})");
        if (submission.Stage == DeadlineKind.Nis2Notification && before.MetAt is null)
        {
            summary += $"; final report now due {deadlines.Single(d => d.Kind == DeadlineKind.Nis2FinalReport).DueAt:u}";
        }

        var next = current with
        {
            Deadlines = deadlines,
            Nis2Reports = [.. current.Nis2Reports, new Nis2Report(submission.Stage, submission.RequestId, now, actor, submission.Summary)],
        };
        next = Append(next, actor, "nis2-report", summary + ": " + submission.Summary);
        await SaveAsync(next);
        await WatchDeadlinesAsync(next);
        logger.LogInformation("Incident {IncidentId}: NIS2 {Stage} received from {Actor}", TrackingId, submission.Stage, actor);
        return next;
    }

    public async Task<Incident> CheckDeadlinesAsync()
    {
        var current = Current;
        if (current.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate)
        {
            return current;
        }

        var now = clock.GetUtcNow();
        var deadlines = Nis2Clock.Escalate(current.Deadlines, now, out var escalated);
        if (escalated.Length == 0)
        {
            return current;
        }

        var next = current with { Deadlines = deadlines };
        foreach (var deadline in escalated)
        {
            var overdueFor = now - deadline.DueAt;
            var what = deadline.Kind == DeadlineKind.Triage
                ? $"Triage SLA breached ({deadline.Basis}; due {deadline.DueAt:u}, {Math.Floor(overdueFor.TotalHours):0} h ago)"
                : $"NIS2 {Nis2Clock.NameOf(deadline.Kind)} overdue (due {deadline.DueAt:u}, {Math.Floor(overdueFor.TotalHours):0} h ago)";
            next = Append(next, "system:deadlines", "escalated", what + ": escalated to the coordinators");
            logger.LogWarning(
                "Escalation: incident {IncidentId} of {Stakeholder}: {Deadline} overdue since {DueAt:u}",
                TrackingId, current.ReporterStakeholderId, deadline.Kind, deadline.DueAt);
        }

        await SaveAsync(next);
        return next;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineReminder || state.State.Incident is null)
        {
            return;
        }

        await WatchDeadlinesAsync(await CheckDeadlinesAsync());
    }

    public async Task LinkDuplicateAsync(string duplicateTrackingId, string actor)
    {
        var current = Current;
        if (current.Status == IncidentStatus.Duplicate)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident '{TrackingId}' is itself a duplicate of '{current.DuplicateOf}'; mark the duplicate against that one.", "duplicate_of");
        }

        await SaveAsync(Append(current, actor, "duplicate-linked", $"{duplicateTrackingId} was marked as a duplicate of this incident"));
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Re-publish on activation so that the queue catches up after a crash between the state
        // write and the queue write.
        if (state.State.Incident is { } incident)
        {
            await queue.UpsertAsync(incident.ToSummary(), cancellationToken);
        }
    }

    /// <summary>
    /// The incident with the tasks of its RSIT class's playbook added (once per class: a second
    /// triage into the same class after a reopen adds nothing), and a timeline entry saying so.
    /// </summary>
    private async Task<Incident> WithPlaybookTasksAsync(Incident incident, DateTimeOffset now)
    {
        var origin = "playbook:" + incident.RsitClass;
        if (incident.Tasks.Any(t => t.Origin == origin)
            || await GrainFactory.GetGrain<Playbooks.IPlaybookGrain>(incident.RsitClass).GetAsync() is not { Steps.Length: > 0 } playbook)
        {
            return incident;
        }

        RefuseTaskLimit(incident, playbook.Steps.Length);
        var tasks = playbook.Steps.Select((step, i) => new IncidentTask(
            incident.Tasks.Length + i + 1,
            step.Title,
            step.Assignee == Playbooks.StepAssignee.Reporter ? incident.ReporterStakeholderId : "",
            step.Assignee == Playbooks.StepAssignee.Cirt ? incident.Assignee : "",
            now + step.DueWithin,
            IncidentTaskStatus.Open,
            now,
            "system:playbook",
            origin,
            now)).ToArray();
        // Part of the triage: one more timeline entry, not one more version.
        return Append(incident with { Tasks = [.. incident.Tasks, .. tasks] }, "system:playbook", "tasks-created",
            $"Playbook {incident.RsitClass} (version {playbook.Version}): {tasks.Length} task(s) created: "
            + string.Join("; ", tasks.Select(t => $"{t.Number}. {t.Title} ({t.AssigneeLabel})"))) with { Version = incident.Version };
    }

    private void RefuseTaskLimit(Incident incident, int adding)
    {
        if (incident.Tasks.Length + adding > Limits.TasksPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {TrackingId} has {incident.Tasks.Length} tasks; the limit is {Limits.TasksPerIncident}.");
        }
    }

    /// <summary>
    /// Keeps the deadline reminder while a deadline still needs watching (durable: it fires after a
    /// restart too) and drops it once every deadline is met or escalated.
    /// </summary>
    private async Task WatchDeadlinesAsync(Incident incident)
    {
        var watch = incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate)
                    && incident.Deadlines.Any(Nis2Clock.NeedsWatching);
        await this.KeepWhileAsync(DeadlineReminder, watch, deadlineOptions.Value.CheckPeriod);
    }

    private Incident Append(Incident incident, string actor, string kind, string summary)
    {
        if (incident.Timeline.Length >= Limits.TimelineEntriesPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident '{TrackingId}' has reached the limit of {Limits.TimelineEntriesPerIncident} timeline entries.");
        }

        var now = clock.GetUtcNow();
        var entry = new TimelineEntry(incident.Timeline.Length + 1, now, actor, kind, summary);
        return incident with { UpdatedAt = now, Version = incident.Version + 1, Timeline = [.. incident.Timeline, entry] };
    }

    private async Task SaveAsync(Incident incident)
    {
        state.State.Incident = incident;
        await state.WriteStateAsync();
        await queue.UpsertAsync(incident.ToSummary());
    }

    private static string Because(string reason) => reason.Length > 0 ? $": {reason}" : "";

    private static (Observable[] All, Observable[] Added) Deduplicate(
        Observable[] existing, Observable[] incoming)
    {
        var seen = existing.Select(o => (o.Type, o.Value)).ToHashSet();
        var added = incoming.Where(o => seen.Add((o.Type, o.Value))).ToArray();
        return ([.. existing, .. added], added);
    }
}
