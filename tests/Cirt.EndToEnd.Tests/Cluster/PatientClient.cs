using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// A client of the cluster as the console is one: every silo's address, tried in turn from
/// <paramref name="first"/> on (the console's <see cref="ResilientCallInvoker"/>: a request id on every
/// mutating request, retries that repeat it, the next address when one cannot be reached). On top,
/// what a user does when the console gives up on a call that may have been applied: sends the same
/// request again, with the same request id, until it is acknowledged.
/// </summary>
public sealed class PatientClient : IDisposable
{
    /// <summary>How long a user keeps sending a call again before the test calls it lost.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    private static readonly StatusCode[] WorthRepeating =
    [
        StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Unknown,
        StatusCode.Aborted, StatusCode.Cancelled, StatusCode.ResourceExhausted,
    ];

    private readonly ResilientCallInvoker _invoker;
    private readonly List<(string What, StatusCode Status, string Detail)> _failures = [];

    public PatientClient(IReadOnlyList<string> addresses, int first, string apiKey)
    {
        _invoker = new ResilientCallInvoker(
            [.. addresses.Skip(first % addresses.Count), .. addresses.Take(first % addresses.Count)],
            apiKey,
            new ResilienceOptions(TimeSpan.FromSeconds(10)));
        Reporting = new ReportingService.ReportingServiceClient(_invoker);
        Incidents = new IncidentService.IncidentServiceClient(_invoker);
        Feeds = new FeedService.FeedServiceClient(_invoker);
        Ingest = new IngestService.IngestServiceClient(_invoker);
    }

    public ReportingService.ReportingServiceClient Reporting { get; }

    public IncidentService.IncidentServiceClient Incidents { get; }

    public FeedService.FeedServiceClient Feeds { get; }

    public IngestService.IngestServiceClient Ingest { get; }

    /// <summary>The calls the console gave up on (each then sent again): what, the status it surfaced, and its message.</summary>
    public IReadOnlyList<(string What, StatusCode Status, string Detail)> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="call"/> until it is acknowledged. The call must send the same request
    /// each time (so its request id, once set, stays): a change the server applied before its
    /// answer was lost is then answered from the request ledger, not applied twice.
    /// </summary>
    public async Task<T> AcknowledgedAsync<T>(string what, Func<AsyncUnaryCall<T>> call)
    {
        var giveUp = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (WorthRepeating.Contains(ex.StatusCode) && DateTime.UtcNow < giveUp)
            {
                lock (_failures)
                {
                    _failures.Add((what, ex.StatusCode, ex.Status.Detail));
                }

                // The console's own retries have waited already; a user pauses briefly before trying again.
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    public void Dispose() => _invoker.Dispose();
}
