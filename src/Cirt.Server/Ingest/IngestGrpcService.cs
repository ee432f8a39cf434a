using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Grains.Ingest.Feeds;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Feeds;
using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>cirt.v1.IngestService: automated events in, durable acknowledgements out.</summary>
public sealed class IngestGrpcService(
    IngestLog log,
    IngestMeter meter,
    IngestStateStore state,
    IngestAggregator aggregator,
    FeedDirectory feeds,
    ConstituencyIndexProvider routing,
    RsitTaxonomy taxonomy,
    IOptions<IngestOptions> options,
    CirtClock clock) : Proto.IngestService.IngestServiceBase
{
    private const int MaxBatchIdLength = 64;
    private const int InFlightPerStream = 64;

    public override async Task<Proto.PublishResponse> Publish(Proto.PublishRequest request, ServerCallContext context) =>
        new() { Ack = await AcceptAsync(request.Batch, context) };

    public override async Task Stream(
        IAsyncStreamReader<Proto.StreamRequest> requestStream, IServerStreamWriter<Proto.StreamResponse> responseStream, ServerCallContext context)
    {
        // Acknowledgements go back in order while later batches are already on their way to disk.
        var inFlight = Channel.CreateBounded<Task<Proto.BatchAck>>(InFlightPerStream);
        var acknowledging = Task.Run(async () =>
        {
            await foreach (var pending in inFlight.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(new Proto.StreamResponse { Ack = await pending }, context.CancellationToken);
            }
        });

        try
        {
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                var accepting = AcceptAsync(request.Batch, context);
                await inFlight.Writer.WriteAsync(accepting, context.CancellationToken);
                if (accepting.IsFaulted)
                {
                    break;
                }
            }
        }
        finally
        {
            inFlight.Writer.TryComplete();
        }

        await acknowledging;
    }

    public override async Task<Proto.ListUnmatchedEventsResponse> ListUnmatchedEvents(Proto.ListUnmatchedEventsRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.MaxLength("feed", request.Feed, 100);
        v.ThrowIfAny();
        var pageSize = PageToken.Size(request.PageSize, 50, Limits.MaxPageSize);
        var offset = PageToken.Offset(request.PageToken);
        var page = await state.UnmatchedAsync(request.Feed, offset, pageSize, context.CancellationToken);
        var response = new Proto.ListUnmatchedEventsResponse
        {
            TotalSize = page.Total,
            NextPageToken = PageToken.Next(offset, pageSize, (int)Math.Min(page.Total, int.MaxValue)),
        };
        response.Events.AddRange(page.Events.Select(IngestMapping.ToProto));
        return response;
    }

    public override async Task<Proto.GetIngestStatsResponse> GetIngestStats(Proto.GetIngestStatsRequest request, ServerCallContext context)
    {
        // Read before the totals: a pass recorded in between shows in the totals, not twice.
        var running = aggregator.Running;
        var totals = await state.TotalsAsync(context.CancellationToken);
        var response = new Proto.GetIngestStatsResponse
        {
            Total = new Proto.FeedStats { Feed = "(all)" },
            EventsPerSecond = meter.EventsPerSecond(),
            Backlog = await log.EventsAfterAsync(totals.AggregatedSeq, context.CancellationToken),
        };
        if (running is not null && running.UpTo > totals.AggregatedSeq)
        {
            response.PassInProgress = true;
            response.PassEvents = running.Events;
            response.PassAggregatesApplied = running.Applied;
            response.PassAggregatesTotal = running.Aggregates;
            response.PassStartedAt = CommonMapping.ToProto(running.StartedAt);
        }

        foreach (var (feed, t) in totals.Feeds)
        {
            response.Feeds.Add(IngestMapping.ToProto(feed, t));
            response.Total.Stored += t.Stored;
            response.Total.Duplicates += t.Duplicates;
            response.Total.Unmatched += t.Unmatched;
            response.Total.Resent += t.Resent;
            response.Total.Rejected += t.Rejected;
        }

        return response;
    }

    /// <summary>Validates a batch, queues its valid events for the disk and answers once they are durable.</summary>
    private async Task<Proto.BatchAck> AcceptAsync(Proto.EventBatch? batch, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var v = new Violations();
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
        var caller = context.Principal();
        var permits = await feeds.CurrentAsync(context.CancellationToken);
        ConstituencyIndex? index = null;
        var ack = new Proto.BatchAck { BatchId = batch.BatchId };
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
            if (refusal is null)
            {
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
                    index ??= await routing.CurrentAsync(context.CancellationToken);
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
                        refusal = ("feed", $"feed '{permit.Name}' has used its quota of {permit.QuotaPerMinute} events this minute; "
                                           + "nothing of this event was stored: resending it in the next minute is fine");
                    }
                }
            }

            if (refusal is { } refused)
            {
                ack.Rejected.Add(new Proto.RejectedEvent { Index = i, Field = refused.Field, Reason = refused.Reason });
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

        meter.Rejected(ack.Rejected.Count);
        var pending = new PendingBatch(
            context.Principal().Actor,
            accepted,
            string.Join(";", rejectedByFeed.Select(p => Uri.EscapeDataString(p.Key) + "=" + p.Value.ToString(CultureInfo.InvariantCulture))));
        if (!await log.TryEnqueueAsync(pending, context.CancellationToken))
        {
            foreach (var (taken, events) in takenFromQuotas ?? [])
            {
                feeds.Quotas.Return(taken, events, now);
            }

            context.ResponseTrailers.Add("retry-after", "1");
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Ingest is saturated ({log.Queued} batches waiting for the disk): nothing of this batch was stored; resend it in a moment."));
        }

        await pending.Durable.Task.WaitAsync(context.CancellationToken);
        ack.AcceptedCount = accepted.Events.Count;
        meter.Acknowledged(Stopwatch.GetElapsedTime(started));
        return ack;
    }
}
