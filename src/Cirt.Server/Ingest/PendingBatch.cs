using Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>A validated batch on its way to disk; Durable completes with its log position once committed.</summary>
public sealed class PendingBatch(string producer, EventBatch accepted, string rejectedByFeed)
{
    public string Producer { get; } = producer;

    public EventBatch Accepted { get; } = accepted;

    public string RejectedByFeed { get; } = rejectedByFeed;

    public TaskCompletionSource<long> Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
