using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Server.Http;
using Cirt.Server.Security;
using Cirt.Server.Taxii;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>cirt.v1.PartnerService: this instance's identity, the partner CIRTs, their agreements and the outbox.</summary>
public sealed class PartnerGrpcService(
    IGrainFactory grains,
    IFederationStore store,
    FederationIdentity identity,
    OutboxDispatcher dispatcher,
    IOptions<FederationOptions> options,
    HttpEndpoint http,
    Telemetry.MetricsEndpoint metrics,
    IServer server,
    ILogger<PartnerGrpcService> logger) : Proto.PartnerService.PartnerServiceBase
{
    public override Task<Proto.GetLocalIdentityResponse> GetLocalIdentity(Proto.GetLocalIdentityRequest request, ServerCallContext context)
    {
        // The gRPC endpoint: the HTTP endpoint (TAXII) and the metrics endpoint listen beside it.
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(address => address != http.Address && address != metrics.Address) ?? "";
        return Task.FromResult(new Proto.GetLocalIdentityResponse
        {
            InstanceId = identity.InstanceId,
            Country = identity.Country,
            PublicKey = identity.PublicKeyPem,
            Fingerprint = identity.Fingerprint,
            EndpointUrl = options.Value.PublicUrl.Length > 0 ? options.Value.PublicUrl : listening,
            TaxiiUrl = TaxiiServer.DiscoveryUrl(http),
        });
    }

    public override async Task<Proto.RegisterPartnerResponse> RegisterPartner(Proto.RegisterPartnerRequest request, ServerCallContext context)
    {
        var (id, registration) = PartnerRequests.Register(request);
        var partner = await grains.GetGrain<IPartnerGrain>(id).RegisterAsync(registration, context.Principal().Actor);
        return new Proto.RegisterPartnerResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.UpdateAgreementResponse> UpdateAgreement(Proto.UpdateAgreementRequest request, ServerCallContext context)
    {
        var agreement = PartnerRequests.UpdateAgreement(request);
        var partner = await Registered(request.PartnerId).UpdateAgreementAsync(agreement, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.UpdateAgreementResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.UpdatePartnerEndpointResponse> UpdatePartnerEndpoint(Proto.UpdatePartnerEndpointRequest request, ServerCallContext context)
    {
        PartnerRequests.UpdateEndpoint(request);
        var partner = await Registered(request.PartnerId)
            .UpdateEndpointAsync(request.EndpointUrl, request.OutboundApiKey, request.ExpectedVersion, context.Principal().Actor);
        dispatcher.Wake(partner.Id);
        return new Proto.UpdatePartnerEndpointResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.AddPartnerKeyResponse> AddPartnerKey(Proto.AddPartnerKeyRequest request, ServerCallContext context)
    {
        var overlap = PartnerRequests.AddKey(request);
        var partner = await Registered(request.PartnerId).AddKeyAsync(request.PublicKey, overlap, context.Principal().Actor);
        return new Proto.AddPartnerKeyResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.SuspendPartnerResponse> SuspendPartner(Proto.SuspendPartnerRequest request, ServerCallContext context)
    {
        PartnerRequests.Suspend(request);
        var partner = await Registered(request.PartnerId).SuspendAsync(request.Reason, context.Principal().Actor);
        return new Proto.SuspendPartnerResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.ResumePartnerResponse> ResumePartner(Proto.ResumePartnerRequest request, ServerCallContext context)
    {
        PartnerRequests.CheckPartnerId(request.PartnerId);
        var partner = await Registered(request.PartnerId).ResumeAsync(context.Principal().Actor);
        dispatcher.Wake(partner.Id);
        return new Proto.ResumePartnerResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.ListPartnersResponse> ListPartners(Proto.ListPartnersRequest request, ServerCallContext context)
    {
        var response = new Proto.ListPartnersResponse();
        foreach (var id in await grains.GetGrain<IPartnerCatalogGrain>(IPartnerCatalogGrain.Key).ListAsync())
        {
            // A catalog entry whose registration was never stored is no partner.
            if (await grains.GetGrain<IPartnerGrain>(id).GetAsync() is { } partner)
            {
                response.Partners.Add(await ToProtoAsync(partner, context.CancellationToken));
            }
        }

        return response;
    }

    public override async Task<Proto.GetPartnerResponse> GetPartner(Proto.GetPartnerRequest request, ServerCallContext context)
    {
        PartnerRequests.CheckPartnerId(request.PartnerId);
        var partner = await grains.GetGrain<IPartnerGrain>(request.PartnerId).GetAsync() ?? RpcErrors.NotFound<Partner>("Partner", request.PartnerId);
        return new Proto.GetPartnerResponse { Partner = await ToProtoAsync(partner, context.CancellationToken) };
    }

    public override async Task<Proto.ListOutboxResponse> ListOutbox(Proto.ListOutboxRequest request, ServerCallContext context)
    {
        var (partnerId, state, pageSize, before) = PartnerRequests.ListOutbox(request);
        var page = await store.ListOutboxAsync(partnerId, state, pageSize, before, context.CancellationToken);
        var response = new Proto.ListOutboxResponse { NextPageToken = PartnerRequests.NextToken("outbox-before:", page.NextBefore) };
        response.Messages.Add(page.Items.Select(PartnerMapping.ToProto));
        return response;
    }

    public override async Task<Proto.GetOutboxMessageResponse> GetOutboxMessage(Proto.GetOutboxMessageRequest request, ServerCallContext context)
    {
        var message = await MessageAsync(request.MessageId, context.CancellationToken);
        return new Proto.GetOutboxMessageResponse { Message = PartnerMapping.ToProto(message), Payload = message.Payload };
    }

    public override async Task<Proto.ApproveOutboxMessageResponse> ApproveOutboxMessage(Proto.ApproveOutboxMessageRequest request, ServerCallContext context)
    {
        var message = await MessageAsync(request.MessageId, context.CancellationToken);
        var actor = context.Principal().Actor;
        if (!await store.ApproveAsync(message.MessageId, actor, context.CancellationToken))
        {
            NotHeld(await MessageAsync(request.MessageId, context.CancellationToken), "approved");
        }

        logger.LogInformation("Outbox message {MessageId} ({Kind} {ItemId} v{Version} for {PartnerId}) approved by {Actor} as redacted",
            message.MessageId, message.Kind, message.ItemId, message.ItemVersion, message.PartnerId, actor);
        dispatcher.Wake(message.PartnerId);
        return new Proto.ApproveOutboxMessageResponse { Message = PartnerMapping.ToProto(await MessageAsync(request.MessageId, context.CancellationToken)) };
    }

    public override async Task<Proto.DiscardOutboxMessageResponse> DiscardOutboxMessage(Proto.DiscardOutboxMessageRequest request, ServerCallContext context)
    {
        PartnerRequests.Discard(request);
        var message = await MessageAsync(request.MessageId, context.CancellationToken);
        var actor = context.Principal().Actor;
        if (!await store.DiscardAsync(message.MessageId, request.Reason.Trim(), actor, context.CancellationToken))
        {
            NotHeld(await MessageAsync(request.MessageId, context.CancellationToken), "discarded");
        }

        logger.LogInformation("Outbox message {MessageId} ({Kind} {ItemId} v{Version} for {PartnerId}) discarded by {Actor}: {Reason}",
            message.MessageId, message.Kind, message.ItemId, message.ItemVersion, message.PartnerId, actor, request.Reason);
        return new Proto.DiscardOutboxMessageResponse { Message = PartnerMapping.ToProto(await MessageAsync(request.MessageId, context.CancellationToken)) };
    }

    public override async Task<Proto.ListEgressResponse> ListEgress(Proto.ListEgressRequest request, ServerCallContext context)
    {
        var (partnerId, pageSize, before) = PartnerRequests.ListEgress(request);
        var page = await store.ListEgressAsync(partnerId, pageSize, before, context.CancellationToken);
        var response = new Proto.ListEgressResponse { NextPageToken = PartnerRequests.NextToken("egress-before:", page.NextBefore) };
        response.Records.Add(page.Items.Select(PartnerMapping.ToProto));
        return response;
    }

    public override async Task<Proto.ListInboundRefusalsResponse> ListInboundRefusals(Proto.ListInboundRefusalsRequest request, ServerCallContext context)
    {
        var (pageSize, before) = PartnerRequests.ListRefusals(request);
        var page = await store.ListRefusalsAsync(pageSize, before, context.CancellationToken);
        var response = new Proto.ListInboundRefusalsResponse { NextPageToken = PartnerRequests.NextToken("refusals-before:", page.NextBefore) };
        response.Refusals.Add(page.Items.Select(PartnerMapping.ToProto));
        return response;
    }

    /// <summary>The partner's grain: its changes answer NOT_FOUND for a partner not registered.</summary>
    private IPartnerGrain Registered(string partnerId) => grains.GetGrain<IPartnerGrain>(partnerId);

    private async Task<OutboxEntry> MessageAsync(string messageId, CancellationToken cancellationToken)
    {
        PartnerRequests.CheckMessageId(messageId);
        return await store.GetAsync(messageId, cancellationToken) ?? RpcErrors.NotFound<OutboxEntry>("Outbox message", messageId);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void NotHeld(OutboxEntry message, string what) =>
        RpcErrors.Throw(StatusCode.FailedPrecondition, $"Outbox message {message.MessageId} is {Words.Of(message.State)}; only a held message is {what}.");

    private async Task<Proto.Partner> ToProtoAsync(Partner partner, CancellationToken cancellationToken) =>
        PartnerMapping.ToProto(partner, await store.CountsAsync(partner.Id, cancellationToken), dispatcher.CircuitOf(partner.Id));
}
