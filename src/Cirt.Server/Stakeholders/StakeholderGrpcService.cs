using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Stakeholders;

/// <summary>cirt.v1.StakeholderService: the directory of organisations.</summary>
public sealed class StakeholderGrpcService(
    IGrainFactory grains, IStakeholderDirectory directory, CirtClock clock, IOptions<ContactOptions> contacts)
    : Proto.StakeholderService.StakeholderServiceBase
{
    private const int DefaultPageSize = 100;

    public override async Task<Proto.CreateStakeholderResponse> CreateStakeholder(Proto.CreateStakeholderRequest request, ServerCallContext context)
    {
        var profile = StakeholderMapping.ToDomain(request.Stakeholder, clock.GetUtcNow());
        var created = await grains.GetGrain<IStakeholderGrain>(request.Stakeholder.Id).CreateAsync(profile, context.Principal().Actor);
        return new Proto.CreateStakeholderResponse { Stakeholder = ToProto(created) };
    }

    public override async Task<Proto.UpdateStakeholderResponse> UpdateStakeholder(Proto.UpdateStakeholderRequest request, ServerCallContext context)
    {
        var profile = StakeholderMapping.ToDomain(request.Stakeholder, clock.GetUtcNow());
        var updated = await grains.GetGrain<IStakeholderGrain>(request.Stakeholder.Id)
            .UpdateAsync(profile, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.UpdateStakeholderResponse { Stakeholder = ToProto(updated) };
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
            RpcErrors.NotFound("Stakeholder", request.Id);
        }

        return new Proto.GetStakeholderResponse { Stakeholder = ToProto(stakeholder) };
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
        response.Stakeholders.AddRange(page.Select(ToProto));
        return response;
    }

    public override async Task<Proto.ConfirmContactsResponse> ConfirmContacts(Proto.ConfirmContactsRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.StakeholderId(v, "stakeholder_id", request.StakeholderId);
        v.ThrowIfAny();
        var caller = context.Principal();
        if (!caller.IsCirtStaff && caller.StakeholderId != request.StakeholderId)
        {
            RpcErrors.NotFound("Stakeholder", request.StakeholderId);
        }

        var confirmed = await grains.GetGrain<IStakeholderGrain>(request.StakeholderId).ConfirmContactsAsync(caller.Actor);
        return new Proto.ConfirmContactsResponse { Stakeholder = ToProto(confirmed) };
    }

    public override async Task<Proto.RequestContactVerificationResponse> RequestContactVerification(
        Proto.RequestContactVerificationRequest request, ServerCallContext context)
    {
        string[] ids;
        if (request.SectorCode.Length > 0)
        {
            var v = new Violations();
            FieldRules.SectorCode(v, "sector_code", request.SectorCode);
            v.ThrowIfAny();
            var sector = await grains.GetGrain<ISectorGrain>(request.SectorCode).GetAsync()
                         ?? RpcErrors.NotFound<Sector>("Sector", request.SectorCode);
            ids = sector.StakeholderIds;
        }
        else
        {
            var all = new List<string>();
            for (var offset = 0; ; offset += Limits.MaxPageSize)
            {
                var (page, total) = await directory.ListAsync(null, offset, Limits.MaxPageSize, context.CancellationToken);
                all.AddRange(page.Select(s => s.Id));
                if (offset + Limits.MaxPageSize >= total)
                {
                    break;
                }
            }

            ids = [.. all];
        }

        var actor = context.Principal().Actor;
        foreach (var id in ids)
        {
            await grains.GetGrain<IStakeholderGrain>(id).RequestVerificationAsync(actor);
        }

        var response = new Proto.RequestContactVerificationResponse();
        response.StakeholderIds.AddRange(ids);
        return response;
    }

    private Proto.Stakeholder ToProto(Stakeholder stakeholder) => StakeholderMapping.ToProto(stakeholder, contacts.Value, clock.GetUtcNow());

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
                response.Stakeholders.Add(ToProto(own));
            }
        }

        return response;
    }
}
