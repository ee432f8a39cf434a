using Cirt.Grains.Common;

namespace Cirt.Grains.Incidents;

/// <summary>
/// The append-only timeline: every change to an incident is a new version with an entry saying who
/// did what, when. Entries a change brings along (the playbook's tasks at triage, the tasks a close
/// cancels) share that change's version.
/// </summary>
public static class IncidentTimeline
{
    /// <summary>The incident one version on, with an entry for the change.</summary>
    public static Incident Append(Incident incident, DateTimeOffset at, string actor, string kind, string summary) =>
        AppendToChange(incident, at, actor, kind, summary) with { Version = incident.Version + 1 };

    /// <summary>The incident with one more entry within the version being made.</summary>
    public static Incident AppendToChange(Incident incident, DateTimeOffset at, string actor, string kind, string summary)
    {
        if (incident.Timeline.Length >= Limits.TimelineEntriesPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident '{incident.TrackingId}' has reached the limit of {Limits.TimelineEntriesPerIncident} timeline entries.");
        }

        var entry = new TimelineEntry(incident.Timeline.Length + 1, at, actor, kind, summary);
        return incident with { UpdatedAt = at, Timeline = [.. incident.Timeline, entry] };
    }

    /// <summary>": reason" to end a summary with, or nothing when no reason was given.</summary>
    public static string Because(string reason) => reason.Length > 0 ? $": {reason}" : "";
}
