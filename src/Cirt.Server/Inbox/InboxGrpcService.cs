using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Inbox;

/// <summary>
/// cirt.v1.InboxService: a principal's inbox as a server stream. It reads the same read models as
/// the lists every second and sends what is new or changed, so it works whichever silo changed
/// the data, and a reconnecting client simply gets the current items again.
/// </summary>
public sealed class InboxGrpcService(
    IGrainFactory grains, IIncidentQueue queue, CirtClock clock, IOptions<AdvisoryOptions> advisories) : Proto.InboxService.InboxServiceBase
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DueSoon = TimeSpan.FromHours(24);


    public override async Task FollowInbox(Proto.FollowInboxRequest request, IServerStreamWriter<Proto.FollowInboxResponse> responseStream, ServerCallContext context)
    {
        var caller = context.Principal();
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var live = false;
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            foreach (var item in await ItemsAsync(caller, context.CancellationToken))
            {
                if (sent.Add(item.Key))
                {
                    await responseStream.WriteAsync(new Proto.FollowInboxResponse { Item = item }, context.CancellationToken);
                }
            }

            if (!live)
            {
                live = true;
                await responseStream.WriteAsync(
                    new Proto.FollowInboxResponse { Item = new Proto.InboxItem { Kind = Proto.InboxItemKind.Live, Key = "live", Summary = "Up to date; new items follow as they appear." } },
                    context.CancellationToken);
            }
        }
        while (await WaitAsync(timer, context.CancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false; // the client went away
        }
    }

    private async Task<List<Proto.InboxItem>> ItemsAsync(Principal caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var staff = caller.IsCirtStaff;
        var items = new List<Proto.InboxItem>();

        var (deadlines, _) = await queue.DeadlinesAsync(
            new DeadlineQuery(staff ? DeadlineView.Overdue : DeadlineView.Open, now, 0, Limits.MaxPageSize) { ReportedBy = staff ? null : caller.StakeholderId },
            cancellationToken);
        foreach (var (incident, deadline) in deadlines.Where(d => staff || d.Deadline.DueAt - now <= DueSoon))
        {
            var overdue = deadline.StatusAt(now) == DeadlineStatus.Overdue;
            items.Add(new Proto.InboxItem
            {
                Kind = Proto.InboxItemKind.Deadline,
                Key = $"deadline:{incident.TrackingId}:{deadline.Kind}:{(overdue ? "overdue" : "due")}",
                TrackingId = incident.TrackingId,
                Summary = $"{Nis2Clock.NameOf(deadline.Kind)} of {incident.TrackingId} ({incident.Title}) {(overdue ? "is overdue" : "is due")} {deadline.DueAt:u}",
                DueAt = CommonMapping.ToProto(deadline.DueAt),
                Overdue = overdue,
            });
        }

        var taskQuery = new TaskQuery(true, false, now, 0, Limits.MaxPageSize)
        {
            AssignedToStakeholder = staff ? null : caller.StakeholderId,
            AssignedToAnalyst = staff ? caller.Name : null,
        };
        foreach (var (incident, task) in (await queue.TasksAsync(taskQuery, cancellationToken)).Page)
        {
            var overdue = task.IsOverdueAt(now);
            items.Add(new Proto.InboxItem
            {
                Kind = Proto.InboxItemKind.Task,
                Key = $"task:{incident.TrackingId}:{task.Number}:{task.Status}:{(overdue ? "overdue" : "open")}",
                TrackingId = incident.TrackingId,
                Summary = $"Task {task.Number} of {incident.TrackingId}: {task.Title}",
                DueAt = CommonMapping.ToProto(task.DueAt),
                Overdue = overdue,
            });
        }

        if (!staff)
        {
            // Incidents that affect the organisation, reported by someone else, as far as TLP lets it see them.
            var affecting = new IncidentQuery(IncidentLifecycle.OpenStatuses, null, [], caller.StakeholderId, IncidentOrder.NewestFirst, 0, Limits.MaxPageSize)
                .SeenBy(caller);
            foreach (var incident in (await queue.QueryAsync(affecting, cancellationToken)).Page.Where(i => i.ReporterStakeholderId != caller.StakeholderId))
            {
                items.Add(new Proto.InboxItem
                {
                    Kind = Proto.InboxItemKind.Incident,
                    Key = $"incident:{incident.TrackingId}",
                    TrackingId = incident.TrackingId,
                    Summary = $"{incident.TrackingId} affects your organisation: {incident.Title} ({incident.ReporterStakeholderId} reported it; {incident.Status})",
                });
            }
        }

        foreach (var advisory in await grains.AllAsync())
        {
            if (advisory.Status != AdvisoryStatus.Published)
            {
                continue;
            }

            var waiting = advisory.Recipients.Where(r => r.AcknowledgedAt is null && (staff ? advisory.IsOverdue(r, now, advisories.Value.ChaseAfter) : r.StakeholderId == caller.StakeholderId)).ToArray();
            if (waiting.Length == 0)
            {
                continue;
            }

            var overdue = waiting.Any(r => advisory.IsOverdue(r, now, advisories.Value.ChaseAfter));
            items.Add(new Proto.InboxItem
            {
                Kind = Proto.InboxItemKind.Advisory,
                Key = $"advisory:{advisory.Id}:v{advisory.Version}:{(overdue ? "overdue" : "new")}" + (staff ? ":" + string.Join(",", waiting.Select(r => r.StakeholderId)) : ""),
                AdvisoryId = advisory.Id,
                Summary = staff
                    ? $"{advisory.Id} ({advisory.Content.Title}) not acknowledged by {string.Join(", ", waiting.Select(r => r.StakeholderId))}"
                    : $"{advisory.Id}: {advisory.Content.Title} (TLP:{TlpLabels.Of(advisory.Content.Tlp)}): acknowledge it",
                Overdue = overdue,
            });
        }

        return items;
    }
}
