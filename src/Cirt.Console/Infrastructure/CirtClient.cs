using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Cirt.Console.Infrastructure;

/// <summary>The gRPC clients for one server and one user.</summary>
public sealed class CirtClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public CirtClient(string server, string user)
    {
        Server = server;
        _channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        var invoker = _channel.Intercept(metadata =>
        {
            metadata.Add("x-cirt-user", user);
            return metadata;
        });
        Reporting = new ReportingService.ReportingServiceClient(invoker);
        Incidents = new IncidentService.IncidentServiceClient(invoker);
        Stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
        Sectors = new SectorService.SectorServiceClient(invoker);
    }

    public string Server { get; }

    public ReportingService.ReportingServiceClient Reporting { get; }

    public IncidentService.IncidentServiceClient Incidents { get; }

    public StakeholderService.StakeholderServiceClient Stakeholders { get; }

    public SectorService.SectorServiceClient Sectors { get; }

    public void Dispose() => _channel.Dispose();
}
