using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Inbox;

/// <summary>
/// What a principal's inbox holds, and how each item reads. The items sent when a stream opens
/// and those pushed as incidents change come from these same rules, so the two cannot disagree.
/// An operator gets the deadlines of its own reports due within a day or overdue, the open tasks
/// assigned to its organisation, the open incidents that affect it, and the advisories it has not
/// acknowledged. CIRT staff get every overdue deadline, the open tasks assigned to them by name,
/// and the advisories some recipient is overdue with. Whatever comes from an incident passes
/// <see cref="IncidentAccess"/>, the one visibility rule; an exercise's items say so.
/// </summary>
public static class InboxItems
{
    /// <summary>How soon an operator is told about a deadline of its own report.</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromHours(24);

    /// <summary>The summary of an exercise's item starts with this.</summary>
    public const string ExerciseMark = "EXERCISE: ";

    /// <summary>Every item <paramref name="incident"/>, with its deadlines and tasks, puts in <paramref name="principal"/>'s inbox at <paramref name="now"/>.</summary>
    public static IEnumerable<Proto.InboxItem> Of(Principal principal, IncidentSummary incident, DateTimeOffset now)
    {
        foreach (var deadline in incident.Deadlines)
        {
            if (OfDeadline(principal, incident, deadline, now) is { } item)
            {
                yield return item;
            }
        }

        foreach (var task in incident.Tasks)
        {
            if (OfTask(principal, incident, task, now) is { } item)
            {
                yield return item;
            }
        }

        if (OfAffectedIncident(principal, incident) is { } affecting)
        {
            yield return affecting;
        }
    }

    /// <summary>
    /// The stakeholders whose inboxes <paramref name="incident"/> may concern (its reporter, those
    /// it affects and those its tasks are assigned to); CIRT staff may be concerned by any incident.
    /// </summary>
    public static IEnumerable<string> StakeholdersConcerned(IncidentSummary incident) =>
        incident.AffectedStakeholderIds.Concat(incident.Tasks.Select(t => t.AssigneeStakeholderId))
            .Append(incident.ReporterStakeholderId)
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal);

    /// <summary>An unmet deadline: for the reporter once due within <see cref="DueSoon"/>, for CIRT staff once overdue.</summary>
    public static Proto.InboxItem? OfDeadline(Principal principal, IncidentSummary incident, Deadline deadline, DateTimeOffset now)
    {
        if (!StillLive(incident) || deadline.MetAt is not null || !IncidentAccess.CanSee(principal, incident))
        {
            return null;
        }

        var overdue = deadline.StatusAt(now) == DeadlineStatus.Overdue;
        var concerned = principal.IsCirtStaff
            ? overdue
            : incident.ReporterStakeholderId == principal.StakeholderId && deadline.DueAt - now <= DueSoon;
        if (!concerned)
        {
            return null;
        }

        return Marked(incident, new Proto.InboxItem
        {
            Kind = Proto.InboxItemKind.Deadline,
            Key = $"deadline:{incident.TrackingId}:{deadline.Kind}:{(overdue ? "overdue" : "due")}",
            TrackingId = incident.TrackingId,
            Summary = $"{Nis2Clock.NameOf(deadline.Kind)} of {incident.TrackingId} ({incident.Title}) {(overdue ? "is overdue" : "is due")} {Words.Time(deadline.DueAt)}",
            DueAt = CommonMapping.ToProto(deadline.DueAt),
            Overdue = overdue,
        });
    }

    /// <summary>An open task, for the organisation or the analyst it is assigned to.</summary>
    public static Proto.InboxItem? OfTask(Principal principal, IncidentSummary incident, IncidentTask task, DateTimeOffset now)
    {
        var assigned = principal.IsCirtStaff
            ? principal.Name.Length > 0 && task.AssigneeAnalyst == principal.Name
            : principal.StakeholderId.Length > 0 && task.AssigneeStakeholderId == principal.StakeholderId;
        if (!assigned || !task.IsOpen || !StillLive(incident) || !IncidentAccess.CanSee(principal, incident))
        {
            return null;
        }

        var overdue = task.IsOverdueAt(now);
        return Marked(incident, new Proto.InboxItem
        {
            Kind = Proto.InboxItemKind.Task,
            Key = $"task:{incident.TrackingId}:{task.Number}:{task.Status}:{(overdue ? "overdue" : "open")}",
            TrackingId = incident.TrackingId,
            Summary = $"Task {task.Number} of {incident.TrackingId}: {task.Title}",
            DueAt = CommonMapping.ToProto(task.DueAt),
            Overdue = overdue,
        });
    }

    /// <summary>An open incident that affects the operator's organisation and that someone else reported, as far as TLP lets it see it.</summary>
    public static Proto.InboxItem? OfAffectedIncident(Principal principal, IncidentSummary incident)
    {
        if (principal.IsCirtStaff
            || !IncidentLifecycle.IsOpen(incident.Status)
            || incident.ReporterStakeholderId == principal.StakeholderId
            || !incident.AffectedStakeholderIds.Contains(principal.StakeholderId)
            || !IncidentAccess.CanSee(principal, incident))
        {
            return null;
        }

        return Marked(incident, new Proto.InboxItem
        {
            Kind = Proto.InboxItemKind.Incident,
            Key = $"incident:{incident.TrackingId}",
            TrackingId = incident.TrackingId,
            Summary = $"{incident.TrackingId} affects your organisation: {incident.Title} "
                      + (incident.ReporterStakeholderId.Length > 0 ? $"({incident.ReporterStakeholderId} reported it; {Words.Of(incident.Status)})" : $"(from automated events; {Words.Of(incident.Status)})"),
        });
    }

    /// <summary>The advisory's item for <paramref name="principal"/>, if it has one.</summary>
    public static Proto.InboxItem? OfAdvisory(Principal principal, Advisory advisory, DateTimeOffset now, TimeSpan chaseAfter)
    {
        if (principal.IsCirtStaff)
        {
            return OfAdvisoryForStaff(advisory, now, chaseAfter);
        }

        var recipient = advisory.Recipients.FirstOrDefault(r => principal.StakeholderId.Length > 0 && r.StakeholderId == principal.StakeholderId);
        return recipient is null ? null : OfAdvisoryForRecipient(advisory, recipient, now, chaseAfter);
    }

    /// <summary>A published advisory the recipient has not acknowledged yet.</summary>
    public static Proto.InboxItem? OfAdvisoryForRecipient(Advisory advisory, AdvisoryRecipient recipient, DateTimeOffset now, TimeSpan chaseAfter)
    {
        if (advisory.Status != AdvisoryStatus.Published || recipient.AcknowledgedAt is not null)
        {
            return null;
        }

        var overdue = advisory.IsOverdue(recipient, now, chaseAfter);
        return new Proto.InboxItem
        {
            Kind = Proto.InboxItemKind.Advisory,
            Key = $"advisory:{advisory.Id}:v{advisory.Version}:{(overdue ? "overdue" : "new")}",
            AdvisoryId = advisory.Id,
            Summary = $"{advisory.Id}: {advisory.Content.Title} (TLP:{TlpLabels.Of(advisory.Content.Tlp)}): acknowledge it",
            Overdue = overdue,
        };
    }

    /// <summary>For CIRT staff: a published advisory with recipients overdue acknowledging it.</summary>
    public static Proto.InboxItem? OfAdvisoryForStaff(Advisory advisory, DateTimeOffset now, TimeSpan chaseAfter)
    {
        var waiting = advisory.Recipients.Where(r => advisory.IsOverdue(r, now, chaseAfter)).Select(r => r.StakeholderId).ToArray();
        if (waiting.Length == 0)
        {
            return null;
        }

        return new Proto.InboxItem
        {
            Kind = Proto.InboxItemKind.Advisory,
            Key = $"advisory:{advisory.Id}:v{advisory.Version}:overdue:{string.Join(",", waiting)}",
            AdvisoryId = advisory.Id,
            Summary = $"{advisory.Id} ({advisory.Content.Title}) not acknowledged by {string.Join(", ", waiting)}",
            Overdue = true,
        };
    }

    /// <summary>The marker that tells a client every current item has been sent.</summary>
    public static Proto.InboxItem Live() =>
        new() { Kind = Proto.InboxItemKind.Live, Key = "live", Summary = "Up to date; new items follow as they appear." };

    /// <summary>Rejected incidents and duplicates carry no obligations and no work.</summary>
    private static bool StillLive(IncidentSummary incident) =>
        incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate);

    private static Proto.InboxItem Marked(IncidentSummary incident, Proto.InboxItem item)
    {
        if (incident.Exercise)
        {
            item.Exercise = true;
            item.Summary = ExerciseMark + item.Summary;
        }

        return item;
    }
}
