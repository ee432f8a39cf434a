using System.Diagnostics;
using System.Globalization;
using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Grains.Ingest.Feeds;
using Cirt.Grains.Security;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Feeds;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>
/// The one way automated events come in, whatever the wire (IngestService's Publish and Stream, the
/// IntelMQ endpoint): each event checked on its own (<see cref="EventRules"/>), then against its
/// feed (registered, granted to the calling key, not suspended, within its quota, and for
/// ORGANISATION feeds about whom it may speak), put in its stored form, queued for the durable log,
/// and answered only once the log has it on disk.
/// </summary>
public sealed class EventIntake(
    IngestLog log,
    IngestMeter meter,
    FeedDirectory feeds,
    ConstituencyIndexProvider routing,
    RsitTaxonomy taxonomy,
    IOptions<IngestOptions> options,
    CirtClock clock)
{
    private const int MaxBatchIdLength = 64;

    /// <summary>Events per batch at most (Cirt:Ingest:MaxBatchEvents).</summary>
    public int MaxBatchEvents => options.Value.MaxBatchEvents;

    /// <summary>
    /// Validates a batch, queues its acceptable events for the disk and answers once they are durable.
    /// With <paramref name="wholeBatch"/> false (Publish), refused events are listed and the rest is
    /// stored; with it true, one refused event keeps the whole batch out (nothing stored, quotas given
    /// back), its refusals counted all the same. A batch that is not one at all (no events, too many,
    /// a batch id too long) is INVALID_ARGUMENT (<see cref="Grpc.Core.RpcException"/>).
    /// </summary>
    public async Task<IntakeResult> AcceptAsync(Proto.EventBatch? batch, Principal caller, bool wholeBatch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var v = new Api.Violations();
        if (batch is null || batch.Events.Count == 0)
        {
            v.Add("batch.events", "must hold at least one event").Throw();
        }

        v.MaxLength("batch.batch_id", batch.BatchId, MaxBatchIdLength);
        if (batch.Events.Count > options.Value.MaxBatchEvents)
        {
            v.Add("batch.events", $"has {batch.Events.Count} events; the limit is {options.Value.MaxBatchEvents}");
        }

        v.ThrowIfAny();

        var now = clock.GetUtcNow();
        var permits = await feeds.CurrentAsync(cancellationToken);
        ConstituencyIndex? index = null;
        var ack = new Proto.BatchAck { BatchId = batch.BatchId };
        var kinds = new List<IntakeRefusalKind>();
        var accepted = new Proto.EventBatch { BatchId = batch.BatchId };
        var rejectedByFeed = new Dictionary<string, int>(StringComparer.Ordinal);
        // Batches usually carry one feed: its permit is looked up once per run of events naming it.
        string? lastFeed = null;
        FeedPermit? permit = null;
        string? feedRefusal = null;
        // Only for feeds with a quota: what this batch took, given back if the batch is refused as a whole.
        Dictionary<FeedPermit, int>? takenFromQuotas = null;
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var e = batch.Events[i];
            var refusal = EventRules.Refuse(e, taxonomy, now);
            var kind = IntakeRefusalKind.Invalid;
            if (refusal is null)
            {
                kind = IntakeRefusalKind.NotPermitted;
                if (!string.Equals(e.Feed, lastFeed, StringComparison.Ordinal))
                {
                    lastFeed = e.Feed;
                    permit = permits.Permit(e.Feed, caller.KeyId, out feedRefusal);
                }

                if (permit is null)
                {
                    refusal = ("feed", feedRefusal!);
                }
                else if (permit.Bounded)
                {
                    index ??= await routing.CurrentAsync(cancellationToken);
                    refusal = EventRules.RefuseTarget(e, permit, index);
                }

                if (refusal is null && permit is { QuotaPerMinute: > 0 })
                {
                    if (feeds.Quotas.TryTake(permit, now))
                    {
                        takenFromQuotas ??= [];
                        takenFromQuotas[permit] = takenFromQuotas.GetValueOrDefault(permit) + 1;
                    }
                    else
                    {
                        kind = IntakeRefusalKind.OverQuota;
                        refusal = ("feed", $"feed '{permit.Name}' has used its quota of {permit.QuotaPerMinute} events this minute; "
                                           + "nothing of this event was stored: resending it in the next minute is fine");
                    }
                }
            }

            if (refusal is { } refused)
            {
                ack.Rejected.Add(new Proto.RejectedEvent { Index = i, Field = refused.Field, Reason = refused.Reason });
                kinds.Add(kind);
                // Names nobody registered count together: made-up names add no rows to the stats.
                var feed = e.Feed.Length is 0 or > EventRules.MaxFeed ? "(none)" : permits.IsRegistered(e.Feed) ? e.Feed : "(unregistered)";
                rejectedByFeed[feed] = rejectedByFeed.GetValueOrDefault(feed) + 1;
                continue;
            }

            EventRules.Canonicalise(e);
            if (e.Severity == Proto.Severity.Unspecified && permit!.Severity != Cirt.Grains.Incidents.Severity.Unspecified)
            {
                // The feed's severity as it stands when the event is accepted: the log keeps it with the event.
                e.Severity = CommonMapping.ToProto(permit.Severity);
            }

            accepted.Events.Add(e);
        }

        var refusedWhole = wholeBatch && ack.Rejected.Count > 0;
        if (refusedWhole)
        {
            // Nothing of it is stored: what it took from quotas goes back; its refusals still count.
            ReturnQuotas(takenFromQuotas, now);
            takenFromQuotas = null;
            accepted.Events.Clear();
        }

        meter.Rejected(ack.Rejected.Count);
        var pending = new PendingBatch(
            caller.Actor,
            accepted,
            string.Join(";", rejectedByFeed.Select(p => Uri.EscapeDataString(p.Key) + "=" + p.Value.ToString(CultureInfo.InvariantCulture))));
        if (!await log.TryEnqueueAsync(pending, cancellationToken))
        {
            ReturnQuotas(takenFromQuotas, now);
            return new IntakeResult(ack, kinds, Saturated: !refusedWhole) { RefusedWhole = refusedWhole };
        }

        await pending.Durable.Task.WaitAsync(cancellationToken);
        ack.AcceptedCount = accepted.Events.Count;
        meter.Acknowledged(Stopwatch.GetElapsedTime(started));
        return new IntakeResult(ack, kinds, Saturated: false) { RefusedWhole = refusedWhole };
    }

    private void ReturnQuotas(Dictionary<FeedPermit, int>? taken, DateTimeOffset now)
    {
        foreach (var (permit, events) in taken ?? [])
        {
            feeds.Quotas.Return(permit, events, now);
        }
    }
}
