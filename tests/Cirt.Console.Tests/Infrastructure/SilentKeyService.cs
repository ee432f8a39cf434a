using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests;

/// <summary>A server that takes calls and never answers them: each waits until the caller gives up. Counts the attempts.</summary>
public sealed class SilentKeyService : KeyService.KeyServiceBase
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public override async Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _attempts);
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        throw new RpcException(new Status(StatusCode.Internal, "unreachable"));
    }
}
