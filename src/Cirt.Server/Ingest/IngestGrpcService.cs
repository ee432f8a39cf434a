using System.Threading.Channels;
using Cirt.Grains.Common;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>cirt.v1.IngestService: automated events in, durable acknowledgements out.</summary>
public sealed class IngestGrpcService(
    EventIntake intake,
    IngestLog log,
    IngestMeter meter,
    IIngestStateStore state,
    IngestAggregator aggregator) : Proto.IngestService.IngestServiceBase
{
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

    /// <summary>Offers a batch to the intake (refused events listed, the rest stored) and answers once it is durable.</summary>
    private async Task<Proto.BatchAck> AcceptAsync(Proto.EventBatch? batch, ServerCallContext context)
    {
        var result = await intake.AcceptAsync(batch, context.Principal(), wholeBatch: false, context.CancellationToken);
        if (result.Saturated)
        {
            context.ResponseTrailers.Add("retry-after", "1");
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Ingest is saturated ({log.Queued} batches waiting for the disk): nothing of this batch was stored; resend it in a moment."));
        }

        return result.Ack;
    }
}
