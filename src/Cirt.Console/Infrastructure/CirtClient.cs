using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Cirt.Console.Infrastructure;

/// <summary>The gRPC clients for one server and one user.</summary>
public sealed class CirtClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public CirtClient(string server, string? apiKey)
    {
        Server = server;
        _channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        var invoker = _channel.Intercept(metadata =>
        {
            if (apiKey is not null)
            {
                metadata.Add("authorization", "Bearer " + apiKey);
            }

            return metadata;
        });
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

    public string Server { get; }

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

    public void Dispose() => _channel.Dispose();
}
