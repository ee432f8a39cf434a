using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>cirt.v1.FederationService: partner instances deliver signed messages here (partner keys only); <see cref="InboundDelivery"/> checks and applies them.</summary>
public sealed class FederationGrpcService(InboundDelivery inbound) : Proto.FederationService.FederationServiceBase
{
    public override Task<Proto.DeliverResponse> Deliver(Proto.DeliverRequest request, ServerCallContext context) =>
        inbound.DeliverAsync(request, context.Principal().PartnerId, context.CancellationToken);
}
