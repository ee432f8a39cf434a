using System.Collections.Concurrent;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Console.Tests;

/// <summary>
/// Reporting in front of a real server: every report is passed on (and so recorded there), but the
/// answer to the first <paramref name="answersToLose"/> is lost on the way back (UNAVAILABLE), as
/// when a connection drops after the server acted. Records the request id of every attempt.
/// </summary>
public sealed class LostAnswerReportingService(CallInvoker realServer, int answersToLose) : ReportingService.ReportingServiceBase
{
    private readonly ReportingService.ReportingServiceClient _real = new(realServer);
    private int _lost;

    /// <summary>The request id of every SubmitIncident seen, in order.</summary>
    public ConcurrentQueue<string> RequestIds { get; } = new();

    public override async Task<SubmitIncidentResponse> SubmitIncident(SubmitIncidentRequest request, ServerCallContext context)
    {
        RequestIds.Enqueue(request.RequestId);
        var answer = await _real.SubmitIncidentAsync(request, cancellationToken: context.CancellationToken);
        if (Interlocked.Increment(ref _lost) <= answersToLose)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "connection lost after the server acted"));
        }

        return answer;
    }
}
