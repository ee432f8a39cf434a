using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Services;

/// <summary>cirt.v1.StakeholderService: the directory of organisations.</summary>
public sealed class StakeholderGrpcService(IGrainFactory grains, IStakeholderDirectory directory, CirtClock clock)
    : Proto.StakeholderService.StakeholderServiceBase
{
    private const int DefaultPageSize = 100;

    public override async Task<Proto.CreateStakeholderResponse> CreateStakeholder(Proto.CreateStakeholderRequest request, ServerCallContext context)
    {
        var profile = StakeholderMapping.ToDomain(request.Stakeholder, clock.GetUtcNow());
        var created = await grains.GetGrain<IStakeholderGrain>(request.Stakeholder.Id).CreateAsync(profile, context.Principal().Actor);
        return new Proto.CreateStakeholderResponse { Stakeholder = StakeholderMapping.ToProto(created) };
    }

    public override async Task<Proto.UpdateStakeholderResponse> UpdateStakeholder(Proto.UpdateStakeholderRequest request, ServerCallContext context)
    {
        var profile = StakeholderMapping.ToDomain(request.Stakeholder, clock.GetUtcNow());
        var updated = await grains.GetGrain<IStakeholderGrain>(request.Stakeholder.Id)
            .UpdateAsync(profile, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.UpdateStakeholderResponse { Stakeholder = StakeholderMapping.ToProto(updated) };
    }

    public override async Task<Proto.GetStakeholderResponse> GetStakeholder(Proto.GetStakeholderRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.StakeholderId(v, "id", request.Id);
        v.ThrowIfAny();
        var caller = context.Principal();
        var stakeholder = caller.IsCirtStaff || caller.StakeholderId == request.Id
            ? await grains.GetGrain<IStakeholderGrain>(request.Id).GetAsync()
            : null;
        if (stakeholder is null)
        {
            // An operator reads its own organisation only; others are answered as unknown.
            throw ErrorInterceptor.ToRpc(CirtException.NotFound("Stakeholder", request.Id));
        }

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
        var caller = context.Principal();
        if (!caller.IsCirtStaff)
        {
            return await OwnOrganisationAsync(caller, request.SectorCode, offset);
        }

        var (page, total) = await directory.ListAsync(
            request.SectorCode.Length > 0 ? request.SectorCode : null, offset, pageSize, context.CancellationToken);
        var response = new Proto.ListStakeholdersResponse { TotalSize = total, NextPageToken = PageToken.Next(offset, pageSize, total) };
        response.Stakeholders.AddRange(page.Select(StakeholderMapping.ToProto));
        return response;
    }

    /// <summary>An operator's listing: its own organisation, when it matches the filter.</summary>
    private async Task<Proto.ListStakeholdersResponse> OwnOrganisationAsync(Principal caller, string sectorCode, int offset)
    {
        var response = new Proto.ListStakeholdersResponse();
        var own = await grains.GetGrain<IStakeholderGrain>(caller.StakeholderId).GetAsync();
        if (own is not null && (sectorCode.Length == 0 || own.SectorCodes.Contains(sectorCode)))
        {
            response.TotalSize = 1;
            if (offset == 0)
            {
                response.Stakeholders.Add(StakeholderMapping.ToProto(own));
            }
        }

        return response;
    }
}
