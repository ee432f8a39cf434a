using Cirt.Grains.Common;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Watching an incident's deadlines (the triage SLA and the NIS2 stages): the NIS2 clock is brought
/// up to now (a final report that fell due while the incident was still being handled gives way to a
/// progress report, Art. 23(4)(e)), and a deadline overdue and not yet escalated is escalated to the
/// coordinators once, with a timeline entry. A rejected or duplicate incident carries no obligations.
/// </summary>
public static class IncidentDeadlines
{
    /// <summary>Who escalates, as the timeline shows it.</summary>
    public const string Actor = "system:deadlines";

    /// <summary>Whether the incident still has a deadline to watch (neither met nor escalated).</summary>
    public static bool NeedWatching(Incident incident) =>
        incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate) && incident.Deadlines.Any(Nis2Clock.NeedsWatching);

    /// <summary>
    /// The incident with every deadline overdue at <paramref name="now"/> escalated, one entry (and
    /// version) each, after an entry for a progress report falling due; the incident unchanged (and
    /// none escalated) when there is nothing to record.
    /// </summary>
    public static (Incident Next, Deadline[] Escalated) Escalate(Incident current, DateTimeOffset now)
    {
        if (current.Status is IncidentStatus.Rejected or IncidentStatus.Duplicate)
        {
            return (current, []);
        }

        var check = Nis2Clock.Check(current, now);
        if (!check.Changed)
        {
            return (current, []);
        }

        var next = current with { Deadlines = check.Deadlines };
        if (check.Note.Length > 0)
        {
            // NIS2 Art. 23(4)(e): still being handled when the final report fell due, a progress report is due instead.
            next = Append(next, now, Actor, "nis2-progress-due", check.Note);
        }

        foreach (var deadline in check.Escalated)
        {
            var hoursAgo = Math.Floor((now - deadline.DueAt).TotalHours);
            var what = deadline.Kind == DeadlineKind.Triage
                ? $"Triage SLA breached ({deadline.Basis}; due {Words.Time(deadline.DueAt)}, {hoursAgo:0} h ago)"
                : $"NIS2 {Nis2Clock.NameOf(deadline.Kind)} overdue (due {Words.Time(deadline.DueAt)}, {hoursAgo:0} h ago)";
            next = Append(next, now, Actor, "escalated", what + ": escalated to the coordinators");
        }

        return (next, check.Escalated);
    }
}
