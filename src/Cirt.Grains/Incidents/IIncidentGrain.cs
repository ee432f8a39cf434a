using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Incidents;

/// <summary>
/// One incident, keyed by its tracking id (e.g. "CIRT-2026-000042"). Every change is versioned and
/// timelined, and exists only once stored: a change storage fails to write throws
/// <see cref="Common.ChangeNotStoredException"/> and leaves the incident as it was; a change past what
/// an incident holds is refused whole (IncidentBudget). Calls made for a caller reach only an
/// incident that caller may see (IncidentAccess): any other is NOT_FOUND. What is returned is the
/// stored incident: what a caller reads of it is IncidentDisclosure's to say, where it leaves the service.
/// Every change a caller makes takes an expected version (0: unchecked; ABORTED when the incident moved
/// on), and one sent again under the same request id (<see cref="Common.CallerRequest"/>) that changed
/// the incident already changes nothing again: the incident is returned as it now is.
/// </summary>
public interface IIncidentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the incident from a report sent by <paramref name="submitter"/>: what an operator names
    /// beyond its own organisation and sectors (<paramref name="reporterSectorCodes"/>) is proposed
    /// for triage (<see cref="IncidentReporting"/>). Idempotent: opening an existing incident with the
    /// same request id returns it unchanged. <paramref name="reporterTrustServiceProvider"/> says
    /// whether the reporter is registered as a trust service provider (NIS2 Art. 23(4)(b)).
    /// </summary>
    Task<Incident> OpenAsync(
        IncidentReport report, Nis2EntityClass reporterEntityClass, string[] reporterSectorCodes, Principal submitter, bool reporterTrustServiceProvider = false);

    /// <summary>The incident, or null when no incident has this tracking id.</summary>
    Task<Incident?> GetAsync();

    /// <summary>
    /// Publishes the stored version to the read model unless this activation already did, and drops
    /// the marks of versions that were never stored (<see cref="IProjectionMarks"/>): what the sweeper
    /// of pending projections asks of an incident a stopped silo left unpublished.
    /// </summary>
    Task RepublishAsync();

    /// <summary>The incident as <paramref name="viewer"/> reads it; NOT_FOUND when it does not exist or the viewer may not see it.</summary>
    Task<Incident> GetVisibleAsync(Principal viewer);

    /// <summary>Accepts, rejects or marks the reported incident as a duplicate (which links the original).</summary>
    Task<Incident> TriageAsync(TriageDecision decision, long expectedVersion, Principal caller);

    /// <summary>
    /// Moves the incident. Out of Recovering, it becomes Resolved only when every affected
    /// stakeholder is restored, or with <paramref name="overrideRestoration"/> (a coordinator's) and a
    /// reason. Closing cancels the tasks still open.
    /// </summary>
    Task<Incident> TransitionAsync(IncidentStatus target, string reason, long expectedVersion, Principal caller, bool overrideRestoration = false);

    /// <summary>
    /// Records whether an affected stakeholder's services are restored: an operator its own; on an
    /// organisation's behalf, staff record it not restored and only a coordinator, with a note, restored.
    /// </summary>
    Task<Incident> SetRestorationAsync(string stakeholderId, bool restored, string note, Principal caller, long expectedVersion = 0);

    /// <summary>Adds stakeholders affected by the incident (they see it as TLP allows, and their inbox tells them).</summary>
    Task<Incident> AddAffectedAsync(string[] stakeholderIds, Principal caller, long expectedVersion = 0);

    /// <summary>Records a referral to a law-enforcement agency.</summary>
    Task<Incident> ReferAsync(string agency, string reference, string note, Principal caller, long expectedVersion = 0);

    /// <summary>Assigns the analyst in charge; an empty assignee unassigns.</summary>
    Task<Incident> AssignAsync(string assignee, long expectedVersion, Principal caller);

    /// <summary>
    /// Adds a note to the timeline: internal or shared as <paramref name="visibility"/> says
    /// (unspecified: internal for CIRT staff; an operator's note is always shared; IncidentNotes).
    /// </summary>
    Task<Incident> AddNoteAsync(string text, Principal caller, TimelineVisibility visibility = TimelineVisibility.Unspecified, long expectedVersion = 0);

    /// <summary>Adds a task (NOT_FOUND when its assignee stakeholder does not exist).</summary>
    Task<Incident> AddTaskAsync(NewIncidentTask task, Principal caller, long expectedVersion = 0);

    /// <summary>
    /// Moves task <paramref name="number"/> to <paramref name="status"/>, with an optional note for
    /// the timeline; an operator moves only its own organisation's tasks.
    /// </summary>
    Task<Incident> UpdateTaskAsync(int number, IncidentTaskStatus status, string note, Principal caller, long expectedVersion = 0);

    /// <summary>Records (or replaces) the post-incident review of a recovering or resolved incident.</summary>
    Task<Incident> RecordReviewAsync(PostIncidentReview review, long expectedVersion, Principal caller);

    /// <summary>Adds the observables not already on the incident.</summary>
    Task<ObservablesAdded> AddObservablesAsync(Observable[] observables, Principal caller, long expectedVersion = 0);

    /// <summary>Opens the incident that aggregates automated events of one stakeholder, RSIT type and day. Idempotent.</summary>
    Task<Incident> OpenAutomatedAsync(Ingest.EventAggregate aggregate, string stakeholderName, string[] sectorCodes, Nis2EntityClass entityClass);

    /// <summary>Adds automated events; a delta at or before the last recorded log position is ignored.</summary>
    Task<Incident> RecordEventsAsync(Ingest.EventAggregate aggregate);

    /// <summary>
    /// Records a NIS2 report against the incident: the stage's deadline is met by the first report
    /// of that stage. Idempotent by request id. An operator reports for incidents its organisation reported.
    /// </summary>
    Task<Incident> SubmitNis2ReportAsync(Nis2ReportSubmission submission, Principal caller);

    /// <summary>
    /// The CIRT requests an intermediate report due at <paramref name="dueAt"/> (NIS2 Art. 23(4)(c)),
    /// replacing an earlier request; refused for an incident without NIS2 obligations, or one
    /// rejected, marked duplicate or closed.
    /// </summary>
    Task<Incident> RequestIntermediateReportAsync(DateTimeOffset dueAt, string reason, Principal caller, long expectedVersion = 0);

    /// <summary>
    /// Brings the NIS2 clock up to now (a progress report may fall due, Art. 23(4)(e)) and escalates
    /// every deadline that is overdue now and was not escalated yet; returns the incident.
    /// </summary>
    Task<Incident> CheckDeadlinesAsync();

    /// <summary>Records on this (original) incident that another one was marked its duplicate.</summary>
    Task LinkDuplicateAsync(string duplicateTrackingId, string actor);

    /// <summary>
    /// Shares the incident with partner CIRT <paramref name="partnerId"/>: a redacted summary of it as
    /// it now stands goes through the partner's agreement to the outbox, and from then on its shared
    /// notes and status changes follow (<see cref="IncidentSharing"/>). Sharing again sends the version
    /// it has then, or, when the partner was given that version already, answers with the same message.
    /// NOT_FOUND for an unknown partner; FAILED_PRECONDITION for a TLP:RED incident, an exercise, a
    /// foreign incident, or what the agreement refuses (the refusal is in the internal timeline).
    /// </summary>
    Task<IncidentShared> ShareAsync(string partnerId, Principal caller, long expectedVersion = 0);

    /// <summary>
    /// Opens (or, for a newer version of it from its origin, updates) the foreign incident a partner
    /// shared with us, under this grain's tracking id. A version received before changes nothing.
    /// </summary>
    Task<Incident> ReceiveAsync(PartnerIncident shared, ItemOrigin origin);

    /// <summary>
    /// Records a note or a status change that partner <paramref name="senderPartnerId"/> sent about
    /// this incident (ours shared with it, or its own), once per id. PERMISSION_DENIED when the
    /// incident is not shared with that partner.
    /// </summary>
    Task<Incident> ReceiveFollowUpAsync(string senderPartnerId, IncidentFollowUp followUp);

    /// <summary>Links this incident and <paramref name="linkedTrackingId"/>: both timelines record it. NOT_FOUND when that one does not exist.</summary>
    Task<Incident> LinkAsync(string linkedTrackingId, Principal caller, long expectedVersion = 0);

    /// <summary>Records on this incident the link another one made to it.</summary>
    Task LinkBackAsync(string linkedTrackingId, string actor);

    /// <summary>Hands what the incident still owes partners to the outbox (after a crash or an outbox failure); the incident, or null when there is none.</summary>
    Task<Incident?> EnsureSharedAsync();
}
