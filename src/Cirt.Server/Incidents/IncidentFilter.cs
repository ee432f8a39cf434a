using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Api;
using Google.Protobuf.Collections;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>
/// The queue filter that ListIncidents and WatchIncidents share: checked the same way (every
/// violation at once) and read as the same <see cref="IncidentQuery"/>, bounded to what the caller
/// may see (<see cref="IncidentQuery.SeenBy"/>), so that a watcher's stream and a listing never
/// disagree about what a caller reads.
/// </summary>
public static class IncidentFilter
{
    /// <summary>Adds the filter's violations to <paramref name="v"/>.</summary>
    public static void Check(
        Violations v,
        RepeatedField<Proto.IncidentStatus> statuses,
        RepeatedField<Proto.Severity> severities,
        string sectorCode,
        string stakeholderId,
        Proto.IncidentOrder order)
    {
        for (var i = 0; i < statuses.Count; i++)
        {
            v.Enum($"statuses[{i}]", statuses[i]);
        }

        for (var i = 0; i < severities.Count; i++)
        {
            v.Enum($"severities[{i}]", severities[i]);
        }

        if (sectorCode.Length > 0)
        {
            FieldRules.SectorCode(v, "sector_code", sectorCode);
        }

        FieldRules.StakeholderId(v, "stakeholder_id", stakeholderId, required: false);
        v.Enum("order", order, required: false);
    }

    /// <summary>The query of a checked filter, at most <paramref name="limit"/> rows, as <paramref name="caller"/> sees the queue.</summary>
    public static IncidentQuery ToQuery(
        RepeatedField<Proto.IncidentStatus> statuses,
        RepeatedField<Proto.Severity> severities,
        string sectorCode,
        string stakeholderId,
        Proto.IncidentOrder order,
        int limit,
        Principal caller) =>
        new IncidentQuery(
            statuses.Select(CommonMapping.ToDomain).ToHashSet(),
            sectorCode.Length > 0 ? sectorCode : null,
            severities.Select(CommonMapping.ToDomain).ToHashSet(),
            stakeholderId.Length > 0 ? stakeholderId : null,
            order == Proto.IncidentOrder.MostSevereFirst ? IncidentOrder.MostSevereFirst : IncidentOrder.NewestFirst,
            limit).SeenBy(caller);
}
