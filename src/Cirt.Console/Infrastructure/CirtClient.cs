using Cirt.Contracts.V1;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// The gRPC clients for one user and one or more server addresses. Every call goes through a
/// <see cref="ResilientCallInvoker"/>: a deadline on each unary call, request ids on mutating
/// requests, retries with backoff for what may be sent again, and the next address when one is down.
/// </summary>
public sealed class CirtClient : IDisposable
{
    private readonly ResilientCallInvoker _invoker;

    /// <param name="servers">Addresses in the order to try them.</param>
    /// <param name="apiKey">Sent as a Bearer token, when given.</param>
    /// <param name="options">Each call's deadline and the retries.</param>
    public CirtClient(IReadOnlyList<string> servers, string? apiKey, ResilienceOptions options)
    {
        _invoker = new ResilientCallInvoker(servers, apiKey, options);
        var invoker = _invoker;
        Reporting = new ReportingService.ReportingServiceClient(invoker);
        Playbooks = new PlaybookService.PlaybookServiceClient(invoker);
        Advisories = new AdvisoryService.AdvisoryServiceClient(invoker);
        Inbox = new InboxService.InboxServiceClient(invoker);
        Incidents = new IncidentService.IncidentServiceClient(invoker);
        Stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
        Sectors = new SectorService.SectorServiceClient(invoker);
        Keys = new KeyService.KeyServiceClient(invoker);
        Ingest = new IngestService.IngestServiceClient(invoker);
        Partners = new PartnerService.PartnerServiceClient(invoker);
        Feeds = new FeedService.FeedServiceClient(invoker);
        Stix = new StixService.StixServiceClient(invoker);
        Admin = new AdminService.AdminServiceClient(invoker);
    }

    /// <summary>The address calls go to now: the first given, until one could not be reached.</summary>
    public string Server => _invoker.CurrentAddress;

    /// <summary>Every address given, in the order they are tried.</summary>
    public IReadOnlyList<string> Servers => _invoker.Addresses;

    public ReportingService.ReportingServiceClient Reporting { get; }

    public PlaybookService.PlaybookServiceClient Playbooks { get; }

    public AdvisoryService.AdvisoryServiceClient Advisories { get; }

    public InboxService.InboxServiceClient Inbox { get; }

    public IncidentService.IncidentServiceClient Incidents { get; }

    public StakeholderService.StakeholderServiceClient Stakeholders { get; }

    public SectorService.SectorServiceClient Sectors { get; }

    public KeyService.KeyServiceClient Keys { get; }

    public IngestService.IngestServiceClient Ingest { get; }

    public PartnerService.PartnerServiceClient Partners { get; }

    public FeedService.FeedServiceClient Feeds { get; }

    public StixService.StixServiceClient Stix { get; }

    public AdminService.AdminServiceClient Admin { get; }

    public void Dispose() => _invoker.Dispose();
}
