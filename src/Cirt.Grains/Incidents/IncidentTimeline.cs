namespace Cirt.Grains.Incidents;

/// <summary>
/// The append-only timeline: every change to an incident is a new version with an entry saying who
/// did what, when. Entries a change brings along (the playbook's tasks at triage, the tasks a close
/// cancels) share that change's version. An entry is shared with the organisations that see the
/// incident unless written as internal; how much a timeline holds is <see cref="IncidentBudget"/>'s
/// to say when the change is stored, and what a caller reads of it <see cref="IncidentDisclosure"/>'s.
/// </summary>
public static class IncidentTimeline
{
    /// <summary>The incident one version on, with an entry for the change.</summary>
    public static Incident Append(
        Incident incident, DateTimeOffset at, string actor, string kind, string summary, TimelineVisibility visibility = TimelineVisibility.Shared) =>
        AppendToChange(incident, at, actor, kind, summary, visibility) with { Version = incident.Version + 1 };

    /// <summary>The incident with one more entry within the version being made.</summary>
    public static Incident AppendToChange(
        Incident incident, DateTimeOffset at, string actor, string kind, string summary, TimelineVisibility visibility = TimelineVisibility.Shared)
    {
        var entry = new TimelineEntry(incident.Timeline.Length + 1, at, actor, kind, summary) { Visibility = visibility };
        return incident with { UpdatedAt = at, Timeline = [.. incident.Timeline, entry] };
    }

    /// <summary>": reason" to end a summary with, or nothing when no reason was given.</summary>
    public static string Because(string reason) => reason.Length > 0 ? $": {reason}" : "";
}
