using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Benchmarks.Ingest;

/// <summary>The transport's limit: the same RPCs and messages, acknowledged at once, nothing stored.</summary>
public sealed class NoOpIngestService : IngestService.IngestServiceBase
{
    public override async Task Stream(IAsyncStreamReader<StreamRequest> requestStream, IServerStreamWriter<StreamResponse> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(new StreamResponse { Ack = new BatchAck { BatchId = request.Batch.BatchId, AcceptedCount = request.Batch.Events.Count } });
        }
    }

    public override Task<PublishResponse> Publish(PublishRequest request, ServerCallContext context) =>
        Task.FromResult(new PublishResponse { Ack = new BatchAck { BatchId = request.Batch.BatchId, AcceptedCount = request.Batch.Events.Count } });
}
