using System.Globalization;
using Cirt.Grains.Common;
using Cirt.Server.Storage;
using Grpc.Core;

namespace Cirt.Server.Api;

/// <summary>
/// What a caller hears when the disk is full: RESOURCE_EXHAUSTED, that storage is full and nothing
/// of the call's change was stored, and when to try again (trailer "retry-after", in seconds, as
/// ingest says it when saturated). RESOURCE_EXHAUSTED rather than UNAVAILABLE: gRPC defines it for
/// "the entire file system is out of space", and clients configured to retry UNAVAILABLE
/// automatically would hammer a full disk; a full disk needs an operator, not an immediate retry.
/// </summary>
public static class StorageFullRefusal
{
    /// <summary>
    /// The refusal for <paramref name="failure"/> when it means the disk is full: a full disk
    /// anywhere in its causes, or a change a grain could not store while storage refuses writes
    /// (the grain call carries only its own message). Null when it is something else.
    /// </summary>
    public static RpcException? For(Exception failure, StorageHealth health, ServerCallContext context)
    {
        var full = StorageFull.Is(failure) || (failure is ChangeNotStoredException && health.RefusingWrites);
        if (!full)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(health.RetryAfter.TotalSeconds));
        context.ResponseTrailers.Add("retry-after", seconds.ToString(CultureInfo.InvariantCulture));
        return new RpcException(new Status(StatusCode.ResourceExhausted,
            $"Storage on the server is full: nothing of this call's change was stored. Retry after {seconds} s; operators have been told (the server's log and its health)."));
    }
}
