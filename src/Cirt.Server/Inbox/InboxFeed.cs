using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Inbox;

/// <summary>
/// Feeds every open inbox stream from one loop, twice a second: it reads the incidents written
/// since its last look (by change number, so whichever silo wrote them), the incidents whose
/// deadlines or tasks time alone has made due or overdue, and the advisories, and pushes what
/// changed to the streams each concerns, so a new item reaches its streams within a second. The
/// read model is read the same whatever the number of streams, and the work follows the changes: a
/// thousand idle streams cost nothing.
/// </summary>
public sealed class InboxFeed(
    IIncidentQueue queue,
    IGrainFactory grains,
    InboxSubscribers subscribers,
    CirtClock clock,
    IOptions<AdvisoryOptions> advisories,
    ILogger<InboxFeed> logger) : BackgroundService
{
    /// <summary>How often the feed looks: a new item reaches its streams within this long and the time one look takes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private const int ChangesPerRead = 500;
    private const string Staff = "staff";

    private long _through;
    private DateTimeOffset _lastLook;

    // The advisory items of each audience ("staff", or a stakeholder id) at the last look: only new ones are pushed.
    private Dictionary<string, HashSet<string>> _advisoryKeys = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _through = (await queue.ChangesAsync(0, 0, stoppingToken)).Through;
        _lastLook = clock.GetUtcNow();
        using var timer = new PeriodicTimer(Interval);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await LookAsync(stoppingToken);
                    if (failing)
                    {
                        failing = false;
                        logger.LogInformation("The inbox feed reads what changed again");
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Nothing is lost: the next look starts from the same change number and time. Said once, not every look.
                    if (!failing)
                    {
                        failing = true;
                        logger.LogWarning(ex, "The inbox feed could not read what changed; it tries again every {Interval}", Interval);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    private async Task LookAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (subscribers.IsEmpty)
        {
            // Nobody follows: only keep up with the latest change. It is read before the streams are
            // counted again, so that a stream opened meanwhile (which reads the inbox as it stands
            // after subscribing) misses nothing written after it.
            var latest = (await queue.ChangesAsync(_through, 0, cancellationToken)).Through;
            if (subscribers.IsEmpty)
            {
                _through = latest;
                _lastLook = now;
                _advisoryKeys.Clear();
                return;
            }
        }

        IncidentChanges changes;
        do
        {
            changes = await queue.ChangesAsync(_through, ChangesPerRead, cancellationToken);
            foreach (var incident in changes.Incidents)
            {
                subscribers.Publish(incident, now);
            }

            _through = changes.Through;
        }
        while (changes.More);

        if (now > _lastLook)
        {
            // What the passing of time alone changed: deadlines now due within a day (for their
            // reporters), deadlines and tasks now overdue.
            DueWindow[] windows = [new(_lastLook, now), new(_lastLook + InboxItems.DueSoon, now + InboxItems.DueSoon)];
            foreach (var incident in await queue.FallingDueAsync(windows, cancellationToken))
            {
                subscribers.Publish(incident, now);
            }
        }

        _lastLook = now;
        await LookAtAdvisoriesAsync(now);
    }

    /// <summary>
    /// Advisories live in their grains, not in the read model: read them all (they are few) and
    /// push the items that were not there at the last look, to the audiences that follow.
    /// </summary>
    private async Task LookAtAdvisoriesAsync(DateTimeOffset now)
    {
        var chaseAfter = advisories.Value.ChaseAfter;
        var staffFollow = subscribers.StaffFollow;
        var current = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var advisory in await grains.AllAsync())
        {
            if (advisory.Status != AdvisoryStatus.Published)
            {
                continue;
            }

            foreach (var recipient in advisory.Recipients)
            {
                if (subscribers.Follows(recipient.StakeholderId)
                    && InboxItems.OfAdvisoryForRecipient(advisory, recipient, now, chaseAfter) is { } item
                    && IsNew(current, recipient.StakeholderId, item.Key))
                {
                    subscribers.PublishToOperators(recipient.StakeholderId, item);
                }
            }

            if (staffFollow && InboxItems.OfAdvisoryForStaff(advisory, now, chaseAfter) is { } overdue && IsNew(current, Staff, overdue.Key))
            {
                subscribers.PublishToStaff(overdue);
            }
        }

        _advisoryKeys = current;
    }

    /// <summary>Records the key as current for the audience; true when it was not there at the last look.</summary>
    private bool IsNew(Dictionary<string, HashSet<string>> current, string audience, string key)
    {
        if (!current.TryGetValue(audience, out var keys))
        {
            current[audience] = keys = new HashSet<string>(StringComparer.Ordinal);
        }

        keys.Add(key);
        return !(_advisoryKeys.TryGetValue(audience, out var before) && before.Contains(key));
    }
}
