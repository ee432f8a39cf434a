using Cirt.Grains.Incidents;
using Cirt.Grains.Seeding;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>Incidents built by the domain rules themselves, at fixed times, for tests without a cluster.</summary>
public static class TestIncidents
{
    public const string TrackingId = "CIRT-2026-000042";

    /// <summary>When the test incidents are reported.</summary>
    public static readonly DateTimeOffset ReportedAt = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>When they are triaged: an hour later.</summary>
    public static readonly DateTimeOffset TriagedAt = ReportedAt.AddHours(1);

    /// <summary>The RSIT taxonomy of the repository's seeds.</summary>
    public static RsitTaxonomy Rsit { get; } = SeedFiles.LoadTaxonomy(Seeds.Directory);

    public static TriageDecision Accept { get; } =
        new(TriageOutcome.Accept, "malicious-code", "infected-system", Severity.Medium, null, "ben", "", "ransom note on the HMI");

    public static TriageDecision Reject { get; } =
        new(TriageOutcome.Reject, "", "", Severity.Unspecified, null, "", "", "not an incident");

    /// <summary>
    /// A report of gridco's (an essential entity) by its operator, naming <paramref name="alsoAffected"/>
    /// too (proposed: they are affected once triage confirms them).
    /// </summary>
    public static Incident Reported(bool significant = false, params string[] alsoAffected) =>
        IncidentReporting.Open(
            null, TrackingId, Reports.From("gridco", significant) with { AffectedStakeholderIds = alsoAffected },
            Nis2EntityClass.Essential, ["ENERGY"], new DeadlineOptions().TriageDeadline(Severity.Medium, ReportedAt), Callers.Operator("gridco"), ReportedAt);

    /// <summary><see cref="Reported"/>, accepted by analyst ana as malicious code of medium severity, <paramref name="alsoAffected"/> confirmed.</summary>
    public static Incident Triaged(params string[] alsoAffected) =>
        IncidentTriage.Triage(Reported(false, alsoAffected), Accept with { ConfirmProposed = true }, 0, Rsit, "ana", TriagedAt);

    /// <summary>The incident moved through <paramref name="statuses"/> by the coordinator, an hour apart.</summary>
    public static Incident MovedTo(Incident incident, params IncidentStatus[] statuses)
    {
        foreach (var status in statuses)
        {
            incident = IncidentWork.Transition(incident, status, "", 0, false, Callers.Coordinator, incident.UpdatedAt.AddHours(1));
        }

        return incident;
    }

    /// <summary>The incident with a task for <paramref name="stakeholderId"/> added by ana.</summary>
    public static Incident WithTask(Incident incident, string title, string stakeholderId = "gridco") =>
        IncidentTasks.Add(incident, new NewIncidentTask(title, stakeholderId, "", null), "ana", incident.UpdatedAt.AddMinutes(5));
}
