using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Sectors;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Services;

/// <summary>cirt.v1.SectorService: critical sectors and what the CIRT sees in each.</summary>
public sealed class SectorGrpcService(IGrainFactory grains, IIncidentQueue queue) : Proto.SectorService.SectorServiceBase
{
    private const int OpenIncidentsShown = 100;

    private static readonly IncidentStatus[] OpenStatuses =
        Enum.GetValues<IncidentStatus>().Where(IncidentLifecycle.IsOpen).ToArray();

    public override async Task<Proto.CreateSectorResponse> CreateSector(Proto.CreateSectorRequest request, ServerCallContext context)
    {
        var definition = ToDomain(request.Sector);
        var sector = await grains.GetGrain<ISectorGrain>(request.Sector.Code).CreateAsync(definition, context.Principal().Actor);
        return new Proto.CreateSectorResponse { Sector = ToProto(sector, openIncidentCount: 0) };
    }

    public override async Task<Proto.UpdateSectorResponse> UpdateSector(Proto.UpdateSectorRequest request, ServerCallContext context)
    {
        var definition = ToDomain(request.Sector);
        var sector = await grains.GetGrain<ISectorGrain>(request.Sector.Code)
            .UpdateAsync(definition, request.ExpectedVersion, context.Principal().Actor);
        var (_, open) = await OpenIncidentsAsync(sector.Code, 0, context.CancellationToken);
        return new Proto.UpdateSectorResponse { Sector = ToProto(sector, open) };
    }

    public override async Task<Proto.GetSectorResponse> GetSector(Proto.GetSectorRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.SectorCode(v, "code", request.Code);
        v.ThrowIfAny();
        var sector = await grains.GetGrain<ISectorGrain>(request.Code).GetAsync()
            ?? throw ErrorInterceptor.ToRpc(CirtException.NotFound("Sector", request.Code));
        var (incidents, open) = await OpenIncidentsAsync(sector.Code, OpenIncidentsShown, context.CancellationToken);
        var response = new Proto.GetSectorResponse { Sector = ToProto(sector, open) };
        response.OpenIncidents.AddRange(incidents.Select(IncidentMapping.ToProto));
        return response;
    }

    public override async Task<Proto.ListSectorsResponse> ListSectors(Proto.ListSectorsRequest request, ServerCallContext context)
    {
        var codes = await grains.GetGrain<ISectorCatalogGrain>(ISectorCatalogGrain.Key).ListAsync();
        var sectors = await Task.WhenAll(codes.Select(code => grains.GetGrain<ISectorGrain>(code).GetAsync()));
        var response = new Proto.ListSectorsResponse();
        foreach (var sector in sectors.OfType<Sector>())
        {
            var (_, open) = await OpenIncidentsAsync(sector.Code, 0, context.CancellationToken);
            response.Sectors.Add(ToProto(sector, open));
        }

        return response;
    }

    private async Task<(IReadOnlyList<IncidentSummary> Page, int Total)> OpenIncidentsAsync(string code, int limit, CancellationToken cancellationToken) =>
        await queue.QueryAsync(new IncidentQuery(OpenStatuses, code, [], null, IncidentOrder.MostSevereFirst, 0, limit), cancellationToken);

    private static SectorDefinition ToDomain(Proto.Sector? s)
    {
        var v = new Violations();
        if (s is null)
        {
            v.Add("sector", "is required").Throw();
        }

        FieldRules.SectorCode(v, "sector.code", s.Code);
        v.Required("sector.name", s.Name, Limits.NameLength);
        v.Enum("sector.annex", s.Annex, required: false);
        v.MaxCount("sector.subsectors", s.Subsectors, Limits.SubsectorsPerSector);
        for (var i = 0; i < Math.Min(s.Subsectors.Count, Limits.SubsectorsPerSector); i++)
        {
            v.Required($"sector.subsectors[{i}]", s.Subsectors[i], Limits.NameLength);
        }

        v.MaxLength("sector.description", s.Description, Limits.ReasonLength);
        v.ThrowIfAny();
        return new SectorDefinition(
            s.Name.Trim(),
            s.Annex == Proto.Nis2Annex.Unspecified ? Nis2Annex.None : (Nis2Annex)(int)s.Annex,
            s.Subsectors.ToArray(),
            s.Description);
    }

    private static Proto.Sector ToProto(Sector sector, int openIncidentCount)
    {
        var proto = new Proto.Sector
        {
            Code = sector.Code,
            Name = sector.Definition.Name,
            Annex = (Proto.Nis2Annex)(int)sector.Definition.Annex,
            Description = sector.Definition.Description,
            OpenIncidentCount = openIncidentCount,
            Version = sector.Version,
        };
        proto.Subsectors.AddRange(sector.Definition.Subsectors);
        proto.StakeholderIds.AddRange(sector.StakeholderIds);
        return proto;
    }
}
