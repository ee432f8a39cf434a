using Cirt.Grains.Partners;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Security;

/// <summary>cirt.v1.KeyService: issuing, listing and revoking API keys.</summary>
public sealed class KeyGrpcService(IGrainFactory grains, SecurityMetrics metrics) : Proto.KeyService.KeyServiceBase
{
    public override async Task<Proto.IssueKeyResponse> IssueKey(Proto.IssueKeyRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.UserName(v, "name", request.Name, required: true);
        v.Enum("role", request.Role);
        var role = (Role)(int)request.Role;
        if (role == Role.Operator)
        {
            FieldRules.StakeholderId(v, "stakeholder_id", request.StakeholderId);
        }
        else if (request.StakeholderId.Length > 0)
        {
            v.Add("stakeholder_id", "is only for operator keys");
        }

        if (role == Role.Partner)
        {
            if (!PartnerRules.IsValidId(request.PartnerId))
            {
                v.Add("partner_id", request.PartnerId.Length == 0
                    ? "is required for a partner key: the registered partner CIRT it belongs to"
                    : $"'{FieldRules.Shorten(request.PartnerId)}' is not a partner id (1 to 64 lower-case letters, digits, '.', '_' or '-')");
            }
        }
        else if (request.PartnerId.Length > 0)
        {
            v.Add("partner_id", "is only for partner keys");
        }

        v.ThrowIfAny();
        if (role == Role.Operator && await grains.GetGrain<IStakeholderGrain>(request.StakeholderId).GetAsync() is null)
        {
            RpcErrors.NotFound("Stakeholder", request.StakeholderId);
        }

        if (role == Role.Partner)
        {
            var partner = await grains.GetGrain<IPartnerGrain>(request.PartnerId).GetAsync() ?? RpcErrors.NotFound<Partner>("Partner", request.PartnerId);
            if (partner.Status == PartnerStatus.Suspended)
            {
                RpcErrors.Throw(StatusCode.FailedPrecondition, $"Partner '{partner.Id}' is suspended: resume it before issuing it a key.");
            }
        }

        var (keyId, token, hash) = ApiKeyToken.Generate();
        var info = await grains.GetGrain<IApiKeyGrain>(keyId)
            .IssueAsync(new Principal(keyId, request.Name, role, request.StakeholderId, request.PartnerId), hash, context.Principal().Actor);
        metrics.KeyIssued();
        return new Proto.IssueKeyResponse { Key = ToProto(info), ApiKey = token };
    }

    public override async Task<Proto.ListKeysResponse> ListKeys(Proto.ListKeysRequest request, ServerCallContext context)
    {
        var response = new Proto.ListKeysResponse();
        response.Keys.AddRange((await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).ListAsync()).Select(ToProto));
        return response;
    }

    public override async Task<Proto.RevokeKeyResponse> RevokeKey(Proto.RevokeKeyRequest request, ServerCallContext context)
    {
        if (!ApiKeyToken.IsKeyId(request.KeyId))
        {
            Violations.ThrowOne("key_id", "must be the 16 hex digits of a key id (see ListKeys)");
        }

        var key = grains.GetGrain<IApiKeyGrain>(request.KeyId);
        if (await key.GetAsync() is null)
        {
            RpcErrors.NotFound("API key", request.KeyId);
        }

        var revoked = await key.RevokeAsync(context.Principal().Actor);
        metrics.KeyRevoked();
        return new Proto.RevokeKeyResponse { Key = ToProto(revoked) };
    }

    public override async Task<Proto.WhoAmIResponse> WhoAmI(Proto.WhoAmIRequest request, ServerCallContext context)
    {
        var info = await grains.GetGrain<IApiKeyGrain>(context.Principal().KeyId).GetAsync()
                   ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "The API key is not valid."));
        return new Proto.WhoAmIResponse { Key = ToProto(info) };
    }

    private static Proto.ApiKey ToProto(ApiKeyInfo info) => new()
    {
        KeyId = info.Principal.KeyId,
        Name = info.Principal.Name,
        Role = (Proto.Role)(int)info.Principal.Role,
        StakeholderId = info.Principal.StakeholderId,
        PartnerId = info.Principal.PartnerId,
        IssuedAt = CommonMapping.ToProto(info.IssuedAt),
        IssuedBy = info.IssuedBy,
        RevokedAt = CommonMapping.ToProto(info.RevokedAt),
        RevokedBy = info.RevokedBy,
    };
}
