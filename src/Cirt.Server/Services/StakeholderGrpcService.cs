using Cirt.Grains.Common;
using Cirt.Grains.Stakeholders;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Services;

/// <summary>cirt.v1.StakeholderService: the directory of organisations.</summary>
public sealed class StakeholderGrpcService(IGrainFactory grains, IStakeholderDirectory directory, TimeProvider clock)
    : Proto.StakeholderService.StakeholderServiceBase
{
    private const int DefaultPageSize = 100;

    public override async Task<Proto.CreateStakeholderResponse> CreateStakeholder(Proto.CreateStakeholderRequest request, ServerCallContext context)
    {
        var profile = StakeholderMapping.ToDomain(request.Stakeholder, clock.GetUtcNow());
        var created = await grains.GetGrain<IStakeholderGrain>(request.Stakeholder.Id).CreateAsync(profile, Caller.NameOf(context));
        return new Proto.CreateStakeholderResponse { Stakeholder = StakeholderMapping.ToProto(created) };
    }

    public override async Task<Proto.UpdateStakeholderResponse> UpdateStakeholder(Proto.UpdateStakeholderRequest request, ServerCallContext context)
    {
        var profile = StakeholderMapping.ToDomain(request.Stakeholder, clock.GetUtcNow());
        var updated = await grains.GetGrain<IStakeholderGrain>(request.Stakeholder.Id)
            .UpdateAsync(profile, request.ExpectedVersion, Caller.NameOf(context));
        return new Proto.UpdateStakeholderResponse { Stakeholder = StakeholderMapping.ToProto(updated) };
    }

    public override async Task<Proto.GetStakeholderResponse> GetStakeholder(Proto.GetStakeholderRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.StakeholderId(v, "id", request.Id);
        v.ThrowIfAny();
        var stakeholder = await grains.GetGrain<IStakeholderGrain>(request.Id).GetAsync()
            ?? throw ErrorInterceptor.ToRpc(CirtException.NotFound("Stakeholder", request.Id));
        return new Proto.GetStakeholderResponse { Stakeholder = StakeholderMapping.ToProto(stakeholder) };
    }

    public override async Task<Proto.ListStakeholdersResponse> ListStakeholders(Proto.ListStakeholdersRequest request, ServerCallContext context)
    {
        if (request.SectorCode.Length > 0)
        {
            var v = new Violations();
            FieldRules.SectorCode(v, "sector_code", request.SectorCode);
            v.ThrowIfAny();
        }

        var pageSize = PageToken.Size(request.PageSize, DefaultPageSize, Limits.MaxPageSize);
        var offset = PageToken.Offset(request.PageToken);
        var (page, total) = await directory.ListAsync(
            request.SectorCode.Length > 0 ? request.SectorCode : null, offset, pageSize, context.CancellationToken);
        var response = new Proto.ListStakeholdersResponse { TotalSize = total, NextPageToken = PageToken.Next(offset, pageSize, total) };
        response.Stakeholders.AddRange(page.Select(StakeholderMapping.ToProto));
        return response;
    }
}
