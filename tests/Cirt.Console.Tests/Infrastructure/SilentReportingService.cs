using System.Collections.Concurrent;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests;

/// <summary>Reporting that takes reports and never answers: each waits until the caller gives up. Records the request ids seen.</summary>
public sealed class SilentReportingService : ReportingService.ReportingServiceBase
{
    public ConcurrentQueue<string> RequestIds { get; } = new();

    public override async Task<SubmitIncidentResponse> SubmitIncident(SubmitIncidentRequest request, ServerCallContext context)
    {
        RequestIds.Enqueue(request.RequestId);
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        throw new RpcException(new Status(StatusCode.Internal, "unreachable"));
    }
}
