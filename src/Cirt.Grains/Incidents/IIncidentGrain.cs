using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Incidents;

/// <summary>One incident, keyed by its tracking id (e.g. "CIRT-2026-000042"). Every change is versioned and timelined.</summary>
public interface IIncidentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the incident from a report. Idempotent: opening an existing incident with the same
    /// request id returns it unchanged. <paramref name="reporterTrustServiceProvider"/> says whether
    /// the reporter is registered as a trust service provider (NIS2 Art. 23(4)(b)).
    /// </summary>
    Task<Incident> OpenAsync(
        IncidentReport report, Nis2EntityClass reporterEntityClass, string[] sectorCodes, string actor, bool reporterTrustServiceProvider = false);

    /// <summary>The incident, or null when no incident has this tracking id.</summary>
    Task<Incident?> GetAsync();

    Task<Incident> TriageAsync(TriageDecision decision, long expectedVersion, string actor);

    /// <summary>
    /// Moves the incident. Out of Recovering, it becomes Resolved only when every affected
    /// stakeholder is restored, or with <paramref name="overrideRestoration"/> and a reason.
    /// </summary>
    Task<Incident> TransitionAsync(IncidentStatus target, string reason, long expectedVersion, string actor, bool overrideRestoration = false);

    /// <summary>Records whether an affected stakeholder's services are restored.</summary>
    Task<Incident> SetRestorationAsync(string stakeholderId, bool restored, string note, string actor);

    /// <summary>Adds stakeholders affected by the incident (they see it as TLP allows, and their inbox tells them).</summary>
    Task<Incident> AddAffectedAsync(string[] stakeholderIds, string actor);

    /// <summary>Records a referral to a law-enforcement agency.</summary>
    Task<Incident> ReferAsync(string agency, string reference, string note, string actor);

    /// <summary>Assigns the analyst in charge; an empty assignee unassigns.</summary>
    Task<Incident> AssignAsync(string assignee, long expectedVersion, string actor);

    Task<Incident> AddNoteAsync(string text, string actor);

    Task<Incident> AddTaskAsync(NewIncidentTask task, string actor);

    /// <summary>Moves task <paramref name="number"/> to <paramref name="status"/>, with an optional note for the timeline.</summary>
    Task<Incident> UpdateTaskAsync(int number, IncidentTaskStatus status, string note, string actor);

    /// <summary>Records (or replaces) the post-incident review of a recovering or resolved incident.</summary>
    Task<Incident> RecordReviewAsync(PostIncidentReview review, long expectedVersion, string actor);

    /// <summary>Adds the observables not already on the incident.</summary>
    Task<ObservablesAdded> AddObservablesAsync(Observable[] observables, string actor);

    /// <summary>Opens the incident that aggregates automated events of one stakeholder, RSIT type and day. Idempotent.</summary>
    Task<Incident> OpenAutomatedAsync(Ingest.EventAggregate aggregate, string stakeholderName, string[] sectorCodes, Nis2EntityClass entityClass);

    /// <summary>Adds automated events; a delta at or before the last recorded log position is ignored.</summary>
    Task<Incident> RecordEventsAsync(Ingest.EventAggregate aggregate);

    /// <summary>
    /// Records a NIS2 report against the incident: the stage's deadline is met by the first report
    /// of that stage. Idempotent by request id.
    /// </summary>
    Task<Incident> SubmitNis2ReportAsync(Nis2ReportSubmission submission, string actor);

    /// <summary>Escalates every deadline that is overdue now and was not escalated yet; returns the incident.</summary>
    Task<Incident> CheckDeadlinesAsync();

    /// <summary>Records on this (original) incident that another one was marked its duplicate.</summary>
    Task LinkDuplicateAsync(string duplicateTrackingId, string actor);

    /// <summary>
    /// The CIRT requests an intermediate report due at <paramref name="dueAt"/> (NIS2 Art. 23(4)(c)),
    /// replacing an earlier request; refused for an incident without NIS2 obligations, or one
    /// rejected, marked duplicate or closed.
    /// </summary>
    Task<Incident> RequestIntermediateReportAsync(DateTimeOffset dueAt, string reason, string actor);
}
