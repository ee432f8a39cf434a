using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Inbox;

/// <summary>
/// A principal's inbox as it stands, read from the read models: what a stream sends when it
/// opens, and again should it fall behind. Each list is read for the one principal (at most a page
/// of the largest size of each kind) and passed through <see cref="InboxItems"/>.
/// </summary>
public sealed class InboxReader(IIncidentQueue queue, IGrainFactory grains, CirtClock clock, IOptions<AdvisoryOptions> advisories)
{
    public async Task<IReadOnlyList<Proto.InboxItem>> CurrentAsync(Principal caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var staff = caller.IsCirtStaff;
        var items = new List<Proto.InboxItem>();

        var deadlineQuery = new DeadlineQuery(staff ? DeadlineView.Overdue : DeadlineView.Open, now, Limits.MaxPageSize)
        {
            ReportedBy = staff ? null : caller.StakeholderId,
        };
        var (deadlines, _, _) = await queue.DeadlinesAsync(deadlineQuery, cancellationToken);
        items.AddRange(deadlines.Select(d => InboxItems.OfDeadline(caller, d.Incident, d.Deadline, now)).OfType<Proto.InboxItem>());

        var taskQuery = new TaskQuery(true, false, now, Limits.MaxPageSize)
        {
            AssignedToStakeholder = staff ? null : caller.StakeholderId,
            AssignedToAnalyst = staff ? caller.Name : null,
        };
        var (tasks, _, _) = await queue.TasksAsync(taskQuery, cancellationToken);
        items.AddRange(tasks.Select(t => InboxItems.OfTask(caller, t.Incident, t.Task, now)).OfType<Proto.InboxItem>());

        if (!staff)
        {
            var affecting = new IncidentQuery(IncidentLifecycle.OpenStatuses, null, [], caller.StakeholderId, IncidentOrder.NewestFirst, Limits.MaxPageSize)
                .SeenBy(caller);
            var (incidents, _) = await queue.QueryAsync(affecting, cancellationToken);
            items.AddRange(incidents.Select(i => InboxItems.OfAffectedIncident(caller, i)).OfType<Proto.InboxItem>());
        }

        foreach (var advisory in await grains.AllAsync())
        {
            if (InboxItems.OfAdvisory(caller, advisory, now, advisories.Value.ChaseAfter) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }
}
