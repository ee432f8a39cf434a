using Cirt.Server.Incidents;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Microsoft.Extensions.Options;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Sectors;

/// <summary>cirt.v1.SectorService: critical sectors and what the CIRT sees in each.</summary>
public sealed class SectorGrpcService(
    IGrainFactory grains, IIncidentQueue queue, IStakeholderDirectory directory, CirtClock clock, IOptions<ContactOptions> contacts)
    : Proto.SectorService.SectorServiceBase
{
    private const int OpenIncidentsShown = 100;
    private const int OverdueDeadlinesShown = 50;


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
            ?? RpcErrors.NotFound<Sector>("Sector", request.Code);
        var cancellationToken = context.CancellationToken;
        var viewer = context.Principal();
        var (incidents, _) = await queue.QueryAsync(
            new IncidentQuery(IncidentLifecycle.OpenStatuses, sector.Code, [], null, IncidentOrder.MostSevereFirst, OpenIncidentsShown).SeenBy(viewer), cancellationToken);
        var (byStatus, bySeverity, level, basis) = await GlanceAsync(sector, cancellationToken);
        var open = byStatus.Sum(s => s.Count);
        var (_, allOpen) = await queue.QueryAsync(new IncidentQuery(IncidentLifecycle.OpenStatuses, sector.Code, [], null, IncidentOrder.NewestFirst, 0), cancellationToken);
        var now = clock.GetUtcNow();
        var (overdue, overdueCount, overdueCountIsLowerBound) = await queue.DeadlinesAsync(
            new DeadlineQuery(DeadlineView.Overdue, now, OverdueDeadlinesShown) { SectorCode = sector.Code }.SeenBy(viewer), cancellationToken);
        var (_, overdueTasks, overdueTasksIsLowerBound) = await queue.TasksAsync(new TaskQuery(true, true, now, 0) { SectorCode = sector.Code }.SeenBy(viewer), cancellationToken);

        var (members, _) = await directory.ListAsync(sector.Code, 0, Limits.MaxPageSize, cancellationToken);
        var response = new Proto.GetSectorResponse
        {
            Sector = ToProto(sector, open),
            AlertLevel = level,
            AlertBasis = basis,
            ManualAlert = ToProto(sector.ManualAlert),
            OpenExerciseCount = allOpen - open,
            OverdueDeadlineCount = overdueCount,
            OverdueTaskCount = overdueTasks,
            OverdueDeadlineCountIsLowerBound = overdueCountIsLowerBound,
            OverdueTaskCountIsLowerBound = overdueTasksIsLowerBound,
        };
        response.OpenIncidents.AddRange(incidents.Select(IncidentMapping.ToProto));
        response.StakeholdersWithStaleContacts.AddRange(members.Where(m => m.Contacts.Any(c => contacts.Value.IsStale(c, now))).Select(m => m.Id));
        response.OpenByStatus.AddRange(byStatus.Select(s => new Proto.StatusCount { Status = CommonMapping.ToProto(s.Status), Count = s.Count }));
        response.OpenBySeverity.AddRange(bySeverity.Select(s => new Proto.SeverityCount { Severity = CommonMapping.ToProto(s.Severity), Count = s.Count }));
        response.OverdueDeadlines.AddRange(overdue.Select(d => new Proto.IncidentDeadline { Incident = IncidentMapping.ToProto(d.Incident), Deadline = IncidentMapping.ToProto(d.Deadline, now) }));
        return response;
    }

    public override async Task<Proto.SetAlertLevelResponse> SetAlertLevel(Proto.SetAlertLevelRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.SectorCode(v, "code", request.Code);
        if (request.Level is < 0 or > AlertLevel.Highest)
        {
            v.Add("level", $"must be {AlertLevel.Lowest} to {AlertLevel.Highest}, or 0 to clear the manual level");
        }

        if (request.Level > 0)
        {
            v.Required("reason", request.Reason, Limits.ReasonLength);
        }
        else
        {
            v.MaxLength("reason", request.Reason, Limits.ReasonLength);
        }

        v.ThrowIfAny();
        var sector = await grains.GetGrain<ISectorGrain>(request.Code)
            .SetManualAlertAsync(request.Level > 0 ? request.Level : null, request.Reason, context.Principal().Actor);
        var view = await GetSector(new Proto.GetSectorRequest { Code = sector.Code }, context);
        return new Proto.SetAlertLevelResponse { AlertLevel = view.AlertLevel, AlertBasis = view.AlertBasis, ManualAlert = view.ManualAlert };
    }

    /// <summary>A sector's open incidents by status and by severity (exercises left out) and its alert level with the basis.</summary>
    private async Task<(List<(IncidentStatus Status, int Count)> ByStatus, List<(Severity Severity, int Count)> BySeverity, int Level, string Basis)> GlanceAsync(
        Sector sector, CancellationToken cancellationToken)
    {
        var byStatus = new List<(IncidentStatus Status, int Count)>();
        foreach (var status in IncidentLifecycle.OpenStatuses)
        {
            byStatus.Add((status, await CountAsync(sector.Code, [status], [], cancellationToken)));
        }

        var bySeverity = new List<(Severity Severity, int Count)>();
        foreach (var severity in Enum.GetValues<Severity>())
        {
            bySeverity.Add((severity, await CountAsync(sector.Code, IncidentLifecycle.OpenStatuses, [severity], cancellationToken)));
        }

        // Only incidents a CIRT analyst has triaged count: a reported one's severity is its reporter's claim.
        var counted = new Dictionary<Severity, int>();
        foreach (var severity in new[] { Severity.Critical, Severity.High, Severity.Medium })
        {
            counted[severity] = await CountAsync(sector.Code, AlertLevel.CountedStatuses, [severity], cancellationToken);
        }

        var (level, basis) = AlertLevel.Effective(
            AlertLevel.Derive(
                counted[Severity.Critical], counted[Severity.High], counted[Severity.Medium],
                byStatus.Where(s => AlertLevel.Counts(s.Status)).Sum(s => s.Count),
                byStatus.Where(s => s.Status == IncidentStatus.Reported).Sum(s => s.Count)),
            sector.ManualAlert);
        return (byStatus, bySeverity, level, basis);
    }

    private async Task<int> CountAsync(string sectorCode, IncidentStatus[] statuses, Severity[] severities, CancellationToken cancellationToken) =>
        (await queue.QueryAsync(
            new IncidentQuery(statuses, sectorCode, severities, null, IncidentOrder.NewestFirst, 0) { ExcludeExercises = true },
            cancellationToken)).Total;

    private static Proto.ManualAlertLevel? ToProto(ManualAlert? manual) => manual is null
        ? null
        : new Proto.ManualAlertLevel { Level = manual.Level, Reason = manual.Reason, At = CommonMapping.ToProto(manual.At), By = manual.By };

    public override async Task<Proto.ListSectorsResponse> ListSectors(Proto.ListSectorsRequest request, ServerCallContext context)
    {
        var codes = await grains.GetGrain<ISectorCatalogGrain>(ISectorCatalogGrain.Key).ListAsync();
        var sectors = await Task.WhenAll(codes.Select(code => grains.GetGrain<ISectorGrain>(code).GetAsync()));
        var response = new Proto.ListSectorsResponse();
        foreach (var sector in sectors.OfType<Sector>())
        {
            var (_, open) = await OpenIncidentsAsync(sector.Code, 0, context.CancellationToken);
            response.Sectors.Add(ToProto(sector, open));
            var (_, bySeverity, level, basis) = await GlanceAsync(sector, context.CancellationToken);
            var glance = new Proto.SectorGlance { Code = sector.Code, AlertLevel = level, AlertBasis = basis };
            glance.OpenBySeverity.AddRange(bySeverity.Select(s => new Proto.SeverityCount { Severity = CommonMapping.ToProto(s.Severity), Count = s.Count }));
            response.Glances.Add(glance);
        }

        return response;
    }

    /// <summary>The sector's open incidents, exercises left out (they are not statistics).</summary>
    private async Task<(IReadOnlyList<IncidentSummary> Page, int Total)> OpenIncidentsAsync(string code, int limit, CancellationToken cancellationToken) =>
        await queue.QueryAsync(
            new IncidentQuery(IncidentLifecycle.OpenStatuses, code, [], null, IncidentOrder.MostSevereFirst, limit) { ExcludeExercises = true }, cancellationToken);

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
