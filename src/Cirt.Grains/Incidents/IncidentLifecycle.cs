using Cirt.Grains.Common;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Which status an incident may move to from which. Triage outcomes (Triaged, Rejected,
/// Duplicate) are reached only through triage, which needs a classification or a reason.
/// </summary>
public static class IncidentLifecycle
{
    private static readonly IReadOnlyDictionary<IncidentStatus, IncidentStatus[]> Next =
        new Dictionary<IncidentStatus, IncidentStatus[]>
        {
            [IncidentStatus.Reported] = [IncidentStatus.Triaged, IncidentStatus.Rejected, IncidentStatus.Duplicate],
            [IncidentStatus.Triaged] = [IncidentStatus.Responding, IncidentStatus.Resolved],
            [IncidentStatus.Responding] = [IncidentStatus.Recovering, IncidentStatus.Resolved],
            [IncidentStatus.Recovering] = [IncidentStatus.Resolved, IncidentStatus.Responding],
            [IncidentStatus.Resolved] = [IncidentStatus.Closed, IncidentStatus.Responding],
            [IncidentStatus.Closed] = [],
            // Reopening a triage decision sends the incident back to the queue.
            [IncidentStatus.Rejected] = [IncidentStatus.Reported],
            [IncidentStatus.Duplicate] = [IncidentStatus.Reported],
        };

    private static readonly HashSet<IncidentStatus> TriageOutcomes =
        [IncidentStatus.Triaged, IncidentStatus.Rejected, IncidentStatus.Duplicate];

    /// <summary>Every status reachable in one step from <paramref name="from"/>.</summary>
    public static IncidentStatus[] AllowedFrom(IncidentStatus from) => Next[from];

    /// <summary>The statuses a plain transition (not triage) may reach from <paramref name="from"/>.</summary>
    public static IncidentStatus[] TransitionsFrom(IncidentStatus from) =>
        Next[from].Where(s => !TriageOutcomes.Contains(s)).ToArray();

    public static bool CanTriage(IncidentStatus from) => from == IncidentStatus.Reported;

    /// <summary>Every status in which an incident is open.</summary>
    public static IncidentStatus[] OpenStatuses { get; } = Enum.GetValues<IncidentStatus>().Where(IsOpen).ToArray();

    /// <summary>An incident is open while the CIRT still has work on it.</summary>
    public static bool IsOpen(IncidentStatus status) =>
        status is IncidentStatus.Reported or IncidentStatus.Triaged or IncidentStatus.Responding or IncidentStatus.Recovering;

    /// <summary>
    /// Whether the work on an incident in <paramref name="status"/> has ended: it is closed, or triage
    /// found it no incident of its own (rejected, duplicate). No task stays open on it.
    /// </summary>
    public static bool HasEnded(IncidentStatus status) =>
        status is IncidentStatus.Closed or IncidentStatus.Rejected or IncidentStatus.Duplicate;

    /// <summary>Why a plain transition is illegal, or null when it is legal.</summary>
    public static string? RefuseTransition(IncidentStatus from, IncidentStatus to)
    {
        if (TriageOutcomes.Contains(to))
        {
            return $"An incident becomes {Words.Of(to)} only through triage (TriageIncident), not a transition.";
        }

        if (TransitionsFrom(from).Contains(to))
        {
            return null;
        }

        return $"An incident cannot move from {Words.Of(from)} to {Words.Of(to)}. {Options(from)}";
    }

    /// <summary>Why triage is illegal now, or null when it is legal.</summary>
    public static string? RefuseTriage(IncidentStatus from) =>
        CanTriage(from)
            ? null
            : $"Only a reported incident can be triaged; this one is {Words.Of(from)}. {Options(from)}";

    /// <summary>What can be done next from <paramref name="from"/>, in words.</summary>
    public static string Options(IncidentStatus from) => from switch
    {
        IncidentStatus.Reported => "A reported incident moves on only through triage: accept, reject or mark as duplicate.",
        IncidentStatus.Closed => "A closed incident stays closed: no transition is legal.",
        _ => $"Legal transitions from {Words.Of(from)}: {Words.List(TransitionsFrom(from))}.",
    };
}
