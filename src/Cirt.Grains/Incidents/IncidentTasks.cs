using Cirt.Grains.Common;
using Cirt.Grains.Playbooks;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// The work on an incident: tasks from its RSIT class's playbook and by hand, each for a
/// stakeholder or an analyst. A task goes only to an organisation that may see its incident
/// (<see cref="IncidentAccess"/>), and no change hides the incident from the organisation of a task
/// still open, so an assignee always reads and updates what it was given. A finished task stays as
/// it is, and no open task outlives its incident: when the incident ends, its open tasks are cancelled.
/// </summary>
public static class IncidentTasks
{
    /// <summary>Who creates a playbook's tasks, as the timeline shows it.</summary>
    public const string PlaybookActor = "system:playbook";

    /// <summary>The incident with <paramref name="task"/> added, numbered after the last one.</summary>
    public static Incident Add(Incident current, NewIncidentTask task, string actor, DateTimeOffset now)
    {
        if (IncidentLifecycle.HasEnded(current.Status))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {current.TrackingId} is {Words.Of(current.Status)}: its work has ended and it takes no new tasks"
                + (current.Status == IncidentStatus.Closed ? "." : "; reopen it first (transition to Reported)."),
                "tracking_id");
        }

        if (task.AssigneeStakeholderId.Length > 0 && !MaySee(current, task.AssigneeStakeholderId))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"A task goes only to an organisation that may see its incident, and '{Echo.Of(task.AssigneeStakeholderId)}' may not see {current.TrackingId}: "
                + WhoSees(current) + " Assign the task to the CIRT or an analyst, or to an organisation the label reaches.",
                "assignee_stakeholder_id");
        }

        RefuseOverLimit(current, 1);
        var added = new IncidentTask(
            current.Tasks.Length + 1, task.Title, task.AssigneeStakeholderId, task.AssigneeAnalyst, task.DueAt,
            IncidentTaskStatus.Open, now, actor, "", now);
        return Append(current with { Tasks = [.. current.Tasks, added] }, now, actor, "task-added",
            $"Task {added.Number} for {added.AssigneeLabel}" + (added.DueAt is { } due ? $", due {Words.Time(due)}" : "") + $": {added.Title}");
    }

    /// <summary>
    /// The incident with task <paramref name="number"/> moved to <paramref name="status"/>. An
    /// operator moves only its own organisation's tasks; a finished task (done, cancelled) stays as it is.
    /// </summary>
    public static Incident Update(Incident current, int number, IncidentTaskStatus status, string note, Principal caller, DateTimeOffset now)
    {
        var task = current.Tasks.FirstOrDefault(t => t.Number == number);
        if (task is not null && !caller.IsCirtStaff && task.AssigneeStakeholderId != caller.StakeholderId)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"Task {number} of {current.TrackingId} is for {task.AssigneeLabel}; your organisation updates only its own tasks.");
        }

        if (task is null)
        {
            throw new CirtException(CirtErrorKind.NotFound,
                $"Incident {current.TrackingId} has no task {number} (it has {current.Tasks.Length}).", "task_number");
        }

        if (task.Status == status)
        {
            return current;
        }

        if (!task.IsOpen)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Task {number} of {current.TrackingId} is {Words.Of(task.Status)}: finished tasks stay as they are; add a new task instead.", "status");
        }

        var updated = task with { Status = status, UpdatedAt = now };
        return Append(current with { Tasks = current.Tasks.Select(t => t.Number == number ? updated : t).ToArray() }, now, caller.Actor, "task-updated",
            $"Task {number} ({task.Title}): {Words.Of(task.Status)} → {Words.Of(status)}" + Because(note));
    }

    /// <summary>
    /// The incident with the tasks of its RSIT class's <paramref name="playbook"/> added, within the
    /// change being made (triage), and an entry saying so. Once per class: a second triage into the
    /// same class after a reopen adds nothing, and neither does a class without a playbook.
    /// </summary>
    public static Incident AddPlaybook(Incident incident, Playbook? playbook, DateTimeOffset now)
    {
        var origin = "playbook:" + incident.RsitClass;
        if (playbook is not { Steps.Length: > 0 } || playbook.RsitClass != incident.RsitClass || incident.Tasks.Any(t => t.Origin == origin))
        {
            return incident;
        }

        RefuseOverLimit(incident, playbook.Steps.Length);
        var tasks = playbook.Steps.Select((step, i) => new IncidentTask(
            incident.Tasks.Length + i + 1,
            step.Title,
            step.Assignee == StepAssignee.Reporter ? incident.ReporterStakeholderId : "",
            step.Assignee == StepAssignee.Cirt ? incident.Assignee : "",
            now + step.DueWithin,
            IncidentTaskStatus.Open,
            now,
            PlaybookActor,
            origin,
            now)).ToArray();
        return AppendToChange(incident with { Tasks = [.. incident.Tasks, .. tasks] }, now, PlaybookActor, "tasks-created",
            $"Playbook {incident.RsitClass} (version {playbook.Version}): {tasks.Length} task(s) created: "
            + string.Join("; ", tasks.Select(t => $"{t.Number}. {t.Title} ({t.AssigneeLabel})")));
    }

    /// <summary>
    /// When <paramref name="incident"/> has ended (closed, rejected, duplicate), the incident with
    /// every task still open cancelled, within the change that ended it, and one entry naming each;
    /// otherwise the incident unchanged. Cancelled tasks leave the task lists and inboxes.
    /// </summary>
    public static Incident CancelWhenEnded(Incident incident, string actor, DateTimeOffset now)
    {
        var open = incident.Tasks.Where(t => t.IsOpen).ToArray();
        if (!IncidentLifecycle.HasEnded(incident.Status) || open.Length == 0)
        {
            return incident;
        }

        var tasks = incident.Tasks.Select(t => t.IsOpen ? t with { Status = IncidentTaskStatus.Cancelled, UpdatedAt = now } : t).ToArray();
        return AppendToChange(incident with { Tasks = tasks }, now, actor, "tasks-cancelled",
            $"{open.Length} open task(s) cancelled as the incident is {Words.Of(incident.Status)}: "
            + string.Join("; ", open.Select(t => $"{t.Number}. {t.Title} ({t.AssigneeLabel}, was {Words.Of(t.Status)})")));
    }

    /// <summary>
    /// Refuses <paramref name="next"/>, a change of <paramref name="current"/> (a new TLP at triage),
    /// when it would hide the incident from the organisation of a task still open: that organisation
    /// could no longer read or update the task. Finish or cancel the task first.
    /// </summary>
    public static void RefuseHidingFromAssignees(Incident current, Incident next, string field)
    {
        var hidden = next.Tasks
            .Where(t => t.IsOpen && t.AssigneeStakeholderId.Length > 0 && MaySee(current, t.AssigneeStakeholderId) && !MaySee(next, t.AssigneeStakeholderId))
            .ToArray();
        if (hidden.Length > 0)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"At TLP:{TlpLabels.Of(next.Tlp)} {next.TrackingId} would be hidden from the organisation of an open task ("
                + string.Join("; ", hidden.Select(t => $"task {t.Number} for {t.AssigneeStakeholderId}"))
                + "), which could then no longer read or update it. Finish or cancel the task first, or keep a label it may see.",
                field);
        }
    }

    /// <summary>Whether organisation <paramref name="stakeholderId"/> may see <paramref name="incident"/> (the one visibility rule).</summary>
    private static bool MaySee(Incident incident, string stakeholderId) =>
        IncidentAccess.OrganisationSees(stakeholderId, incident.ReporterStakeholderId, incident.AffectedStakeholderIds, incident.Tlp);

    /// <summary>Who sees the incident at its label, in words.</summary>
    private static string WhoSees(Incident incident) => TlpPolicy.MayReceive(incident.Tlp, Audience.InvolvedOrganisation)
        ? $"at TLP:{TlpLabels.Of(incident.Tlp)} only its reporter ({incident.ReporterStakeholderId}) and the organisations it affects see it."
        : $"at TLP:{TlpLabels.Of(incident.Tlp)} only its reporter ({incident.ReporterStakeholderId}) sees it.";

    private static void RefuseOverLimit(Incident incident, int adding)
    {
        if (incident.Tasks.Length + adding > Limits.TasksPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {incident.TrackingId} has {incident.Tasks.Length} tasks; the limit is {Limits.TasksPerIncident}.");
        }
    }
}
