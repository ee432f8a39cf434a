using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Grains.Partners;
using Cirt.Grains.Playbooks;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics;

namespace Cirt.Grains.Incidents;

/// <summary>
/// One incident: asks the rules (IncidentTriage, IncidentWork, IncidentTasks, ...) for its next version,
/// admits it (IncidentBudget: what an incident holds), stores it, only then makes it its state, and
/// publishes it to the read model, then hands what the change owes partner CIRTs to the outbox
/// (IncidentSharing). Reminders watch its deadlines and what it still owes partners.
/// </summary>
public sealed class IncidentGrain(
    [PersistentState("incident", StorageNames.Cirt)] IPersistentState<IncidentState> state,
    IIncidentQueue queue,
    IProjectionMarks marks,
    IShareQueue outbox,
    RsitTaxonomy taxonomy,
    CirtClock clock,
    IOptions<DeadlineOptions> deadlineOptions,
    DeadlineMeter deadlineMeter,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain, IRemindable
{
    /// <summary>The durable reminder that watches the incident's running deadlines.</summary>
    public const string DeadlineReminder = "deadlines";

    /// <summary>The durable reminder kept while the incident owes partners messages the outbox has not taken yet.</summary>
    public const string SharingReminder = "sharing";

    /// <summary>How often a stored version the read model refused is offered to it again.</summary>
    private static readonly TimeSpan RepublishPeriod = TimeSpan.FromSeconds(2);

    private IGrainTimer? _republish;

    /// <summary>The version this activation last published to the read model (0: none yet).</summary>
    private long _published;

    private string TrackingId => this.GetPrimaryKeyString();

    private Incident? Stored => state.State.Incident;

    private Incident Existing => IncidentReach.Existing(Stored, TrackingId);

    private Incident VisibleTo(Principal caller) => IncidentReach.VisibleTo(Stored, TrackingId, caller);

    /// <summary>The incident as <paramref name="caller"/> reads it, still at <paramref name="expectedVersion"/> (0: any); ABORTED when it moved on.</summary>
    private Incident VisibleAt(Principal caller, long expectedVersion)
    {
        var current = VisibleTo(caller);
        Versioning.Check("Incident", TrackingId, expectedVersion, current.Version);
        return current;
    }

    /// <summary>
    /// The incident as <paramref name="caller"/> reads it when the request under way (<see cref="CallerRequest"/>)
    /// already changed it: a retry whose first answer was lost applies nothing twice. Null otherwise.
    /// </summary>
    private Incident? Replayed(Principal caller) =>
        RecentRequests.AlreadyApplied(state.State.RecentRequests, CallerRequest.Current) ? VisibleTo(caller) : null;

    public async Task<Incident> OpenAsync(
        IncidentReport report, Nis2EntityClass reporterEntityClass, string[] reporterSectorCodes, Principal submitter, bool reporterTrustServiceProvider = false)
    {
        var now = clock.GetUtcNow();
        var triageDeadline = deadlineOptions.Value.TriageDeadline(report.Severity, now);
        var incident = IncidentReporting.Open(
            Stored, TrackingId, report, reporterEntityClass, reporterSectorCodes, triageDeadline, submitter, now, reporterTrustServiceProvider);
        if (ReferenceEquals(incident, Stored))
        {
            return incident;
        }

        await CommitAsync(incident);
        await WatchDeadlinesAsync(incident);
        logger.LogInformation("Incident {IncidentId} reported by {Actor} for {Stakeholder}", TrackingId, submitter.Actor, report.ReporterStakeholderId);
        return incident;
    }

    public Task<Incident?> GetAsync() => Task.FromResult(Stored);

    public Task<Incident> GetVisibleAsync(Principal viewer) => Task.FromResult(VisibleTo(viewer));

    public async Task<Incident> TriageAsync(TriageDecision decision, long expectedVersion, Principal caller)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var now = clock.GetUtcNow();
        var next = IncidentTriage.Triage(VisibleTo(caller), decision, expectedVersion, taxonomy, caller.Actor, now);
        if (decision.Outcome == TriageOutcome.Accept)
        {
            next = IncidentTasks.AddPlaybook(next, await GrainFactory.GetGrain<IPlaybookGrain>(next.RsitClass).GetAsync(), now);
        }
        else if (decision.Outcome == TriageOutcome.Duplicate)
        {
            // Admitted here first, and the original refuses when it does not exist or is itself a
            // duplicate: before anything is stored on either.
            IncidentBudget.Admit(Stored, next, caller);
            await GrainFactory.GetGrain<IIncidentGrain>(decision.DuplicateOf).LinkDuplicateAsync(TrackingId, caller.Actor);
        }

        next = await CommitAsync(next, caller);
        await WatchDeadlinesAsync(next);
        logger.LogInformation("Incident {IncidentId} triaged by {Actor}: {Outcome}", TrackingId, caller.Actor, decision.Outcome);
        return next;
    }

    public async Task<Incident> TransitionAsync(IncidentStatus target, string reason, long expectedVersion, Principal caller, bool overrideRestoration = false)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var current = VisibleTo(caller);
        var next = await CommitAsync(IncidentWork.Transition(current, target, reason, expectedVersion, overrideRestoration, caller, clock.GetUtcNow()), caller);
        await WatchDeadlinesAsync(next); // a reopened report's deadlines run again
        logger.LogInformation("Incident {IncidentId} moved from {From} to {To} by {Actor}", TrackingId, current.Status, target, caller.Actor);
        return next;
    }

    public Task<Incident> AssignAsync(string assignee, long expectedVersion, Principal caller) =>
        Replayed(caller) is { } replayed
            ? Task.FromResult(replayed)
            : CommitAsync(IncidentWork.Assign(VisibleTo(caller), assignee, expectedVersion, caller.Actor, clock.GetUtcNow()), caller);

    public Task<Incident> AddNoteAsync(string text, Principal caller, TimelineVisibility visibility = TimelineVisibility.Unspecified, long expectedVersion = 0) =>
        Replayed(caller) is { } replayed
            ? Task.FromResult(replayed)
            : CommitAsync(IncidentNotes.Add(VisibleAt(caller, expectedVersion), text, visibility, caller, clock.GetUtcNow()), caller);

    public async Task<Incident> AddTaskAsync(NewIncidentTask task, Principal caller, long expectedVersion = 0)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var current = VisibleAt(caller, expectedVersion);
        await RequireStakeholdersAsync([task.AssigneeStakeholderId], "assignee_stakeholder_id");
        return await CommitAsync(IncidentTasks.Add(current, task, caller.Actor, clock.GetUtcNow()), caller);
    }

    public Task<Incident> UpdateTaskAsync(int number, IncidentTaskStatus status, string note, Principal caller, long expectedVersion = 0) =>
        Replayed(caller) is { } replayed
            ? Task.FromResult(replayed)
            : CommitAsync(IncidentTasks.Update(VisibleAt(caller, expectedVersion), number, status, note, caller, clock.GetUtcNow()), caller);

    public Task<Incident> SetRestorationAsync(string stakeholderId, bool restored, string note, Principal caller, long expectedVersion = 0) =>
        Replayed(caller) is { } replayed
            ? Task.FromResult(replayed)
            : CommitAsync(IncidentRecovery.SetRestoration(VisibleAt(caller, expectedVersion), stakeholderId, restored, note, caller, clock.GetUtcNow()), caller);

    public Task<Incident> RecordReviewAsync(PostIncidentReview review, long expectedVersion, Principal caller) =>
        Replayed(caller) is { } replayed
            ? Task.FromResult(replayed)
            : CommitAsync(IncidentRecovery.RecordReview(VisibleTo(caller), review, expectedVersion, caller.Actor, clock.GetUtcNow()), caller);

    public async Task<Incident> AddAffectedAsync(string[] stakeholderIds, Principal caller, long expectedVersion = 0)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var current = VisibleAt(caller, expectedVersion);
        await RequireStakeholdersAsync(stakeholderIds, "stakeholder_ids");
        return await CommitAsync(IncidentCoordination.AddAffected(current, stakeholderIds, caller.Actor, clock.GetUtcNow()), caller);
    }

    public async Task<Incident> ReferAsync(string agency, string reference, string note, Principal caller, long expectedVersion = 0)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var next = await CommitAsync(IncidentCoordination.Refer(VisibleAt(caller, expectedVersion), agency, reference, note, caller.Actor, clock.GetUtcNow()), caller);
        logger.LogInformation("Incident {IncidentId} referred to {Agency} by {Actor}", TrackingId, agency, caller.Actor);
        return next;
    }

    public async Task<ObservablesAdded> AddObservablesAsync(Observable[] observables, Principal caller, long expectedVersion = 0)
    {
        if (Replayed(caller) is { } replayed)
        {
            // Nothing is added again; what the first call added is on the incident.
            return new ObservablesAdded(replayed, 0);
        }

        var result = IncidentObservables.Add(VisibleAt(caller, expectedVersion), observables, caller.Actor, clock.GetUtcNow());
        return result with { Incident = await CommitAsync(result.Incident, caller) };
    }

    public async Task<Incident> SubmitNis2ReportAsync(Nis2ReportSubmission submission, Principal caller)
    {
        var next = await CommitAsync(IncidentNis2.Submit(VisibleTo(caller), submission, caller, clock.GetUtcNow()), caller);
        await WatchDeadlinesAsync(next);
        logger.LogInformation("Incident {IncidentId}: NIS2 {Stage} received from {Actor}", TrackingId, submission.Stage, caller.Actor);
        return next;
    }

    public async Task<Incident> RequestIntermediateReportAsync(DateTimeOffset dueAt, string reason, Principal caller, long expectedVersion = 0)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var next = await CommitAsync(IncidentNis2.RequestIntermediateReport(VisibleAt(caller, expectedVersion), dueAt, reason, caller.Actor, clock.GetUtcNow()), caller);
        await WatchDeadlinesAsync(next);
        logger.LogInformation("Incident {IncidentId}: intermediate report requested by {Actor}, due {DueAt:u}", TrackingId, caller.Actor, dueAt);
        return next;
    }

    public async Task<Incident> OpenAutomatedAsync(EventAggregate aggregate, string stakeholderName, string[] sectorCodes, Nis2EntityClass entityClass)
    {
        var incident = AutomatedIncidents.Open(Stored, TrackingId, aggregate, stakeholderName, sectorCodes, entityClass, clock.GetUtcNow());
        if (ReferenceEquals(incident, Stored))
        {
            return incident;
        }

        await CommitAsync(incident);
        // One line per incident only at Debug: a pass opens thousands; the aggregator logs one line per pass.
        logger.LogDebug("Incident {IncidentId} opened from automated events for {Aggregate}", TrackingId, aggregate.Key);
        return incident;
    }

    public Task<Incident> RecordEventsAsync(EventAggregate aggregate) =>
        CommitAsync(AutomatedIncidents.RecordEvents(Existing, aggregate, clock.GetUtcNow()));

    public async Task<Incident> CheckDeadlinesAsync()
    {
        var (next, escalated) = IncidentDeadlines.Escalate(Existing, clock.GetUtcNow());
        if (escalated.Length == 0)
        {
            // Most checks find nothing overdue: no span, no count.
            return await CommitAsync(next);
        }

        using var activity = GrainActivities.Source.StartActivity("deadline escalation");
        activity?.SetTag("cirt.incident.tracking_id", TrackingId);
        activity?.SetTag("cirt.deadline.kinds", string.Join(",", escalated.Select(d => DeadlineMeter.TagOf(d.Kind))));
        try
        {
            next = await CommitAsync(next);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }

        deadlineMeter.Escalated(escalated);
        foreach (var deadline in escalated)
        {
            logger.LogWarning("Escalation: incident {IncidentId} of {Stakeholder}: {Deadline} overdue since {DueAt:u}",
                TrackingId, next.ReporterStakeholderId, deadline.Kind, deadline.DueAt);
        }

        return next;
    }

    public Task LinkDuplicateAsync(string duplicateTrackingId, string actor) =>
        CommitAsync(IncidentTriage.LinkDuplicate(Existing, duplicateTrackingId, actor, clock.GetUtcNow()));

    public async Task<IncidentShared> ShareAsync(string partnerId, Principal caller, long expectedVersion = 0)
    {
        // A retry of a share already made shares nothing new: it answers with the message sent then.
        var replayed = Replayed(caller) is not null;
        var current = replayed ? VisibleTo(caller) : VisibleAt(caller, expectedVersion);
        if (IncidentSharing.RefusalToShare(current) is { } refusal)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, refusal, "tracking_id");
        }

        if (await GrainFactory.GetGrain<IPartnerGrain>(partnerId).GetAsync() is null)
        {
            throw new CirtException(CirtErrorKind.NotFound, $"Partner '{Echo.Of(partnerId)}' was not found.", "partner_id");
        }

        var next = replayed ? current : IncidentSharing.Share(current, partnerId, caller.Actor, clock.GetUtcNow());
        var shared = ReferenceEquals(next, current) ? await ShareOwedAsync() : await CommitAsync(next, caller);
        var outcome = shared.PartnerShares.Single(s => s.PartnerId == partnerId).Outcome
            ?? throw new TimeoutException(
                $"Incident {TrackingId}: the share with {partnerId} is recorded, and the outbox has not taken it yet; it is queued as soon as it does. Share again to see its message.");
        if (outcome.MessageId.Length == 0)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition, $"Incident {TrackingId} was not shared with {partnerId}: {outcome.RefusedReason}", "partner_id");
        }

        if (ReferenceEquals(next, current) && (await outbox.StatesAsync([outcome.MessageId])).TryGetValue(outcome.MessageId, out var now))
        {
            outcome = outcome with { State = now };
        }

        logger.LogInformation("Incident {IncidentId} shared by {Actor} with {Partner}: message {MessageId} {State}", TrackingId, caller.Actor, partnerId, outcome.MessageId, outcome.State);
        return new IncidentShared(shared, outcome);
    }

    public async Task<Incident> ReceiveAsync(PartnerIncident shared, ItemOrigin origin)
    {
        var now = clock.GetUtcNow();
        var opening = Stored is null;
        var next = opening
            ? IncidentSharing.Open(TrackingId, shared, origin, deadlineOptions.Value.TriageDeadline(shared.Severity, now), now)
            : IncidentSharing.Update(Stored!, shared, origin, now);
        if (ReferenceEquals(next, Stored))
        {
            return next;
        }

        var received = await CommitAsync(next, IncidentSharing.PrincipalOf(origin.ReceivedFrom));
        if (opening)
        {
            await WatchDeadlinesAsync(received);
        }

        logger.LogInformation("Incident {IncidentId}: version {OriginVersion} of {OriginItemId} received from partner {Origin}", TrackingId, origin.ItemVersion, origin.ItemId, origin.InstanceId);
        return received;
    }

    public Task<Incident> ReceiveFollowUpAsync(string senderPartnerId, IncidentFollowUp followUp) =>
        CommitAsync(
            IncidentSharing.ReceiveFollowUp(Stored ?? throw IncidentSharing.NotSharedWith(TrackingId, senderPartnerId), senderPartnerId, followUp, clock.GetUtcNow()),
            IncidentSharing.PrincipalOf(senderPartnerId));

    public async Task<Incident> LinkAsync(string linkedTrackingId, Principal caller, long expectedVersion = 0)
    {
        if (Replayed(caller) is { } replayed)
        {
            return replayed;
        }

        var next = IncidentSharing.Link(VisibleAt(caller, expectedVersion), linkedTrackingId, caller.Actor, clock.GetUtcNow());
        // The other incident records the link first, and refuses when it does not exist: nothing is stored here then.
        await GrainFactory.GetGrain<IIncidentGrain>(linkedTrackingId).LinkBackAsync(TrackingId, caller.Actor);
        return await CommitAsync(next, caller);
    }

    public async Task LinkBackAsync(string linkedTrackingId, string actor)
    {
        var current = Stored ?? throw new CirtException(CirtErrorKind.NotFound, $"Incident '{TrackingId}' was not found.", "linked_tracking_id");
        await CommitAsync(IncidentSharing.Link(current, linkedTrackingId, actor, clock.GetUtcNow()));
    }

    public async Task<Incident?> EnsureSharedAsync()
    {
        if (Stored is null)
        {
            await this.KeepWhileAsync(SharingReminder, false, deadlineOptions.Value.CheckPeriod);
            return null;
        }

        return await ShareOwedAsync();
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DeadlineReminder && Stored is not null)
        {
            await WatchDeadlinesAsync(await CheckDeadlinesAsync());
        }
        else if (reminderName == SharingReminder)
        {
            await EnsureSharedAsync();
        }
    }

    // The read model catches up after a crash between a state write and its publication.
    public override Task OnActivateAsync(CancellationToken cancellationToken) => Stored is null ? Task.CompletedTask : PublishAsync();

    public async Task RepublishAsync()
    {
        if (Stored is not null && _published != Stored.Version)
        {
            await PublishAsync();
        }

        // No write is under way in this turn: a mark after the stored version is of a write that was never stored.
        await marks.ClearUnstoredAsync(TrackingId, Stored?.Version ?? 0);
    }

    /// <summary>
    /// Admits <paramref name="next"/>, the change <paramref name="author"/> makes (none: the system's own
    /// bookkeeping), within what an incident holds (<see cref="IncidentBudget"/>: refused whole past it), stores
    /// it with what it owes partner CIRTs (<see cref="IncidentSharing.FollowUpsOwed"/>), publishes it, and hands
    /// what is owed to the outbox. When the write fails, the grain keeps the version it had and deactivates (its
    /// next call reloads what storage holds), and the caller is told nothing was stored. Returns the incident as
    /// stored (with what the outbox made of a shared summary).
    /// </summary>
    private async Task<Incident> CommitAsync(Incident next, Principal? author = null)
    {
        var previous = state.State.Incident;
        if (ReferenceEquals(next, previous))
        {
            return next;
        }

        next = IncidentBudget.Admit(previous, next, author);
        next = IncidentSharing.Owe(next, IncidentSharing.FollowUpsOwed(previous, next, author));
        if (next.PendingShares.Length > 0 && previous is not { PendingShares.Length: > 0 })
        {
            // Kept before the marks are stored: whatever happens next, the reminder finds them.
            await this.KeepWhileAsync(SharingReminder, true, deadlineOptions.Value.CheckPeriod);
        }

        // The request under way is remembered with the change it made (a change of the system's own is none).
        await WriteAsync(previous, next, author is null ? null : CallerRequest.Current);
        return next.PendingShares.Length > 0 ? await ShareOwedAsync() : next;
    }

    /// <summary>
    /// Hands what the incident owes partners to the outbox (<see cref="IncidentShareHandover"/>), then
    /// stores what came of it (<see cref="IncidentSharing.Recorded"/>). What is still owed stays marked,
    /// and the sharing reminder tries again until nothing is. Returns the incident as stored.
    /// </summary>
    private async Task<Incident> ShareOwedAsync()
    {
        var incident = Stored!;
        var (handed, summaries) = await IncidentShareHandover.HandOverAsync(outbox, incident, logger);
        if (handed.Count > 0)
        {
            try
            {
                await WriteAsync(incident, IncidentSharing.Recorded(incident, handed, summaries, clock.GetUtcNow()));
            }
            catch (Exception ex)
            {
                // The marks stay stored: they are handed over again later, and the outbox takes each once.
                logger.LogError(ex, "Incident {IncidentId}: what the outbox took for version {Version} could not be recorded; it is handed over again later", TrackingId, incident.Version);
                return incident;
            }
        }

        if (Stored!.PendingShares.Length == 0)
        {
            await this.KeepWhileAsync(SharingReminder, false, deadlineOptions.Value.CheckPeriod);
        }

        return Stored!;
    }

    /// <summary>
    /// Stores <paramref name="next"/> over <paramref name="previous"/>, remembering <paramref name="request"/>
    /// (when given) in the same write (both undone when the write fails), then publishes it.
    /// </summary>
    private async Task WriteAsync(Incident? previous, Incident next, RecentRequest? request = null)
    {
        var notStored = previous is null
            ? $"Incident {TrackingId} could not be stored, so it was not opened. Send the report again shortly."
            : $"Incident {TrackingId}: the change could not be stored, so nothing was changed (it stays at version {previous.Version}). Try again shortly.";
        try
        {
            // Marked before it is stored: should the silo stop before the publication below, a sweeper finds the mark.
            await marks.MarkAsync(TrackingId, next.Version);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Incident {IncidentId}: version {Version} could not be marked for the read model, so it was not stored", TrackingId, next.Version);
            throw new ChangeNotStoredException(notStored);
        }

        var previousRequests = state.State.RecentRequests;
        state.State.Incident = next;
        if (request is not null)
        {
            state.State.RecentRequests = RecentRequests.Remember(previousRequests, request);
        }

        await state.WriteOrUndoAsync(
            this,
            undo: () => (state.State.Incident, state.State.RecentRequests) = (previous, previousRequests),
            logNotStored: ex => logger.LogError(ex, "Incident {IncidentId}: version {Version} could not be stored; nothing changed", TrackingId, next.Version),
            notStored: notStored);

        await PublishAsync();
    }

    /// <summary>Publishes the stored version. A stored change stays stored if the read model fails: a timer offers it again until taken.</summary>
    private async Task PublishAsync()
    {
        try
        {
            await queue.UpsertAsync(Stored!.ToSummary());
            _published = Stored.Version;
            _republish?.Dispose();
            _republish = null;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Incident {IncidentId}: version {Version} is stored but not yet in the read model", TrackingId, Stored!.Version);
            _republish ??= this.RegisterGrainTimer(PublishAsync, RepublishPeriod, RepublishPeriod);
        }
    }

    /// <summary>NOT_FOUND, naming <paramref name="field"/>, for the first of <paramref name="stakeholderIds"/> (empty: none) that does not exist.</summary>
    private async Task RequireStakeholdersAsync(string[] stakeholderIds, string field)
    {
        foreach (var id in stakeholderIds.Where(id => id.Length > 0).Distinct())
        {
            if (await GrainFactory.GetGrain<IStakeholderGrain>(id).GetAsync() is null)
            {
                throw new CirtException(CirtErrorKind.NotFound, $"Stakeholder '{Echo.Of(id)}' was not found.", field);
            }
        }
    }

    /// <summary>Keeps the (durable) deadline reminder while a deadline needs watching, and drops it after.</summary>
    private Task WatchDeadlinesAsync(Incident incident) =>
        this.KeepWhileAsync(DeadlineReminder, IncidentDeadlines.NeedWatching(incident), deadlineOptions.Value.CheckPeriod);
}
