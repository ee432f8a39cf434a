using System.Text.RegularExpressions;
using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Sectors;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Advisories;

/// <summary>cirt.v1.AdvisoryService: advisories, their delivery by TLP and their acknowledgement.</summary>
public sealed partial class AdvisoryGrpcService(IGrainFactory grains, CirtClock clock, IOptions<AdvisoryOptions> options)
    : Proto.AdvisoryService.AdvisoryServiceBase
{
    private const int MaxProducts = 100;
    private const int MaxCves = 100;
    private const int MaxActions = 50;

    public override async Task<Proto.CreateAdvisoryResponse> CreateAdvisory(Proto.CreateAdvisoryRequest request, ServerCallContext context)
    {
        var content = ToDomain(request.Content);
        var catalog = grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);
        var id = await catalog.NextIdAsync(clock.GetUtcNow().Year);
        var advisory = await grains.GetGrain<IAdvisoryGrain>(id).CreateAsync(content, context.Principal().Actor);
        return new Proto.CreateAdvisoryResponse { Advisory = ToProto(advisory, context.Principal()) };
    }

    public override async Task<Proto.UpdateAdvisoryResponse> UpdateAdvisory(Proto.UpdateAdvisoryRequest request, ServerCallContext context)
    {
        var grain = Grain(request.Id);
        var content = ToDomain(request.Content);
        var current = await grain.GetAsync() ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        var recipients = current.Status == AdvisoryStatus.Published ? await RecipientsAsync(content) : [];
        var advisory = await grain.UpdateAsync(content, recipients, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.UpdateAdvisoryResponse { Advisory = ToProto(advisory, context.Principal()) };
    }

    public override async Task<Proto.PublishAdvisoryResponse> PublishAdvisory(Proto.PublishAdvisoryRequest request, ServerCallContext context)
    {
        var grain = Grain(request.Id);
        var current = await grain.GetAsync() ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        var recipients = await RecipientsAsync(current.Content);
        var advisory = await grain.PublishAsync(recipients, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.PublishAdvisoryResponse { Advisory = ToProto(advisory, context.Principal()) };
    }

    public override async Task<Proto.WithdrawAdvisoryResponse> WithdrawAdvisory(Proto.WithdrawAdvisoryRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.Required("reason", request.Reason, Limits.ReasonLength);
        v.ThrowIfAny();
        var grain = Grain(request.Id);
        if (await grain.GetAsync() is null)
        {
            RpcErrors.NotFound("Advisory", request.Id);
        }

        var advisory = await grain.WithdrawAsync(request.Reason, context.Principal().Actor);
        return new Proto.WithdrawAdvisoryResponse { Advisory = ToProto(advisory, context.Principal()) };
    }

    public override async Task<Proto.GetAdvisoryResponse> GetAdvisory(Proto.GetAdvisoryRequest request, ServerCallContext context)
    {
        var caller = context.Principal();
        var stored = await Grain(request.Id).GetAsync();
        // An advisory not delivered to the caller's organisation is answered as unknown.
        var advisory = (stored is null ? null : await SeenByAsync(caller, stored)) ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        return new Proto.GetAdvisoryResponse { Advisory = ToProto(advisory, caller) };
    }

    public override async Task<Proto.ListAdvisoriesResponse> ListAdvisories(Proto.ListAdvisoriesRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.Enum("status", request.Status, required: false);
        v.ThrowIfAny();
        var caller = context.Principal();
        var advisories = await Task.WhenAll((await grains.AllAsync()).Select(a => SeenByAsync(caller, a)));
        var response = new Proto.ListAdvisoriesResponse();
        response.Advisories.AddRange(advisories
            .OfType<Advisory>()
            .Where(a => request.Status == Proto.AdvisoryStatus.Unspecified || (int)a.Status == (int)request.Status)
            .Where(a => !request.UnacknowledgedOnly || a.Recipients.Any(r => r.AcknowledgedAt is null && (caller.IsCirtStaff || r.StakeholderId == caller.StakeholderId)))
            .OrderByDescending(a => a.CreatedAt)
            .Select(a => ToProto(a, caller)));
        return response;
    }

    public override async Task<Proto.AcknowledgeAdvisoryResponse> AcknowledgeAdvisory(Proto.AcknowledgeAdvisoryRequest request, ServerCallContext context)
    {
        // Only operators get here (the access rules): the organisations advisories are delivered to.
        var caller = context.Principal();
        var advisory = await Grain(request.Id).AcknowledgeAsync(caller.StakeholderId, caller.Actor);
        return new Proto.AcknowledgeAdvisoryResponse
        {
            Advisory = ToProto(await SeenByAsync(caller, advisory) ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id), caller),
        };
    }

    /// <summary>
    /// The advisory as <paramref name="viewer"/> may see it (<see cref="AdvisoryRules.AsSeenBy"/>), or
    /// null; the incident it comes from is named only to a viewer who may see that incident
    /// (<see cref="IncidentAccess"/>): an advisory does not reveal an incident its reader cannot open.
    /// </summary>
    private async Task<Advisory?> SeenByAsync(Principal viewer, Advisory stored)
    {
        var seen = AdvisoryRules.AsSeenBy(viewer, stored);
        if (seen is null || viewer.IsCirtStaff || seen.Content.IncidentTrackingId.Length == 0)
        {
            return seen;
        }

        var incident = await grains.GetGrain<IIncidentGrain>(seen.Content.IncidentTrackingId).GetAsync();
        return incident is not null && IncidentAccess.CanSee(viewer, incident)
            ? seen
            : seen with { Content = seen.Content with { IncidentTrackingId = "" } };
    }

    private IAdvisoryGrain Grain(string id)
    {
        if (!AdvisoryId().IsMatch(id))
        {
            Violations.ThrowOne("id", "must look like ADV-2026-0007");
        }

        return grains.GetGrain<IAdvisoryGrain>(id);
    }

    /// <summary>
    /// The stakeholders an advisory goes to: those named and every member of the sectors named.
    /// Whether it may go to organisations at all (TLP, targets) is <see cref="AdvisoryRules.EnsureDeliverable"/>'s
    /// to say, in the grain.
    /// </summary>
    private async Task<string[]> RecipientsAsync(AdvisoryContent content)
    {
        var recipients = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var code in content.TargetSectors)
        {
            var sector = await grains.GetGrain<ISectorGrain>(code).GetAsync()
                         ?? RpcErrors.NotFound<Sector>("Sector", code);
            recipients.UnionWith(sector.StakeholderIds);
        }

        foreach (var id in content.TargetStakeholders)
        {
            _ = await grains.GetGrain<IStakeholderGrain>(id).GetAsync()
                ?? RpcErrors.NotFound<Stakeholder>("Stakeholder", id);
            recipients.Add(id);
        }

        return [.. recipients];
    }

    private static AdvisoryContent ToDomain(Proto.AdvisoryContent? c)
    {
        var v = new Violations();
        if (c is null)
        {
            v.Add("content", "is required").Throw();
        }

        v.Required("content.title", c.Title, Limits.TitleLength);
        v.Required("content.summary", c.Summary, Limits.DescriptionLength);
        v.MaxCount("content.affected_products", c.AffectedProducts, MaxProducts);
        for (var i = 0; i < Math.Min(c.AffectedProducts.Count, MaxProducts); i++)
        {
            v.Required($"content.affected_products[{i}]", c.AffectedProducts[i], Limits.NameLength);
        }

        v.MaxCount("content.cves", c.Cves, MaxCves);
        for (var i = 0; i < Math.Min(c.Cves.Count, MaxCves); i++)
        {
            if (!CveId().IsMatch(c.Cves[i].CveId))
            {
                v.Add($"content.cves[{i}].cve_id", "must look like CVE-2026-12345");
            }

            if (!(c.Cves[i].CvssScore is >= 0.0 and <= 10.0))
            {
                v.Add($"content.cves[{i}].cvss_score", "must be 0.0 to 10.0");
            }
        }

        v.MaxCount("content.indicators", c.Indicators, Limits.ObservablesPerRequest);
        var indicators = c.Indicators.Count <= Limits.ObservablesPerRequest ? CommonMapping.ToDomain(c.Indicators, "content.indicators", v) : [];
        v.MaxCount("content.recommended_actions", c.RecommendedActions, MaxActions);
        for (var i = 0; i < Math.Min(c.RecommendedActions.Count, MaxActions); i++)
        {
            v.Required($"content.recommended_actions[{i}]", c.RecommendedActions[i], Limits.ReasonLength);
        }

        v.Enum("content.tlp", c.Tlp);
        FieldRules.SectorCodes(v, "content.target_sectors", c.TargetSectors, Limits.SectorsPerItem);

        FieldRules.StakeholderIds(v, "content.target_stakeholders", c.TargetStakeholders, Limits.StakeholdersPerIncident);

        if (c.IncidentTrackingId.Length > 0)
        {
            FieldRules.TrackingId(v, "content.incident_tracking_id", c.IncidentTrackingId);
        }

        v.ThrowIfAny();
        return new AdvisoryContent(
            c.Title.Trim(), c.Summary, [.. c.AffectedProducts], c.Cves.Select(x => new AffectedCve(x.CveId, x.CvssScore)).ToArray(), indicators,
            [.. c.RecommendedActions], CommonMapping.ToDomain(c.Tlp), [.. c.TargetSectors.Distinct()], [.. c.TargetStakeholders.Distinct()], c.IncidentTrackingId);
    }

    /// <summary>
    /// The wire form of <paramref name="a"/>, which must already be the advisory as
    /// <paramref name="viewer"/> may see it (<see cref="AdvisoryRules.AsSeenBy"/>): this only leaves
    /// out what is the CIRT's business (targets, other recipients, counts).
    /// </summary>
    private Proto.Advisory ToProto(Advisory a, Principal viewer)
    {
        var now = clock.GetUtcNow();
        var chaseAfter = options.Value.ChaseAfter;
        var content = new Proto.AdvisoryContent
        {
            Title = a.Content.Title,
            Summary = a.Content.Summary,
            Tlp = CommonMapping.ToProto(a.Content.Tlp),
            IncidentTrackingId = a.Content.IncidentTrackingId,
        };
        content.AffectedProducts.AddRange(a.Content.AffectedProducts);
        content.Cves.AddRange(a.Content.Cves.Select(c => new Proto.AffectedCve { CveId = c.CveId, CvssScore = c.CvssScore, Severity = CommonMapping.ToProto(c.Band) }));
        content.Indicators.AddRange(a.Content.Indicators.Select(CommonMapping.ToProto));
        content.RecommendedActions.AddRange(a.Content.RecommendedActions);
        if (viewer.IsCirtStaff)
        {
            content.TargetSectors.AddRange(a.Content.TargetSectors);
            content.TargetStakeholders.AddRange(a.Content.TargetStakeholders);
        }

        var proto = new Proto.Advisory
        {
            Id = a.Id,
            Content = content,
            Status = (Proto.AdvisoryStatus)(int)a.Status,
            Version = a.Version,
            CreatedAt = CommonMapping.ToProto(a.CreatedAt),
            CreatedBy = a.CreatedBy,
            UpdatedAt = CommonMapping.ToProto(a.UpdatedAt),
            UpdatedBy = a.UpdatedBy,
            PublishedAt = CommonMapping.ToProto(a.PublishedAt),
            WithdrawnAt = CommonMapping.ToProto(a.WithdrawnAt),
            WithdrawReason = a.WithdrawReason,
        };
        // Who else received it, and who acknowledged, is the CIRT's business.
        proto.Recipients.AddRange(a.Recipients
            .Where(r => viewer.IsCirtStaff || r.StakeholderId == viewer.StakeholderId)
            .Select(r => new Proto.AdvisoryRecipient
            {
                StakeholderId = r.StakeholderId,
                DeliveredAt = CommonMapping.ToProto(r.DeliveredAt),
                AcknowledgedAt = CommonMapping.ToProto(r.AcknowledgedAt),
                AcknowledgedBy = r.AcknowledgedBy,
                Reminders = r.Reminders,
                Overdue = a.IsOverdue(r, now, chaseAfter),
            }));
        proto.FormerRecipients.AddRange(a.FormerRecipients
            .Where(f => viewer.IsCirtStaff || f.StakeholderId == viewer.StakeholderId)
            .Select(f => new Proto.AdvisoryFormerRecipient
            {
                StakeholderId = f.StakeholderId,
                DeliveredAt = CommonMapping.ToProto(f.Recipient.DeliveredAt),
                AcknowledgedAt = CommonMapping.ToProto(f.Recipient.AcknowledgedAt),
                AcknowledgedBy = f.Recipient.AcknowledgedBy,
                LastVersion = f.LastVersion,
                RemovedAt = CommonMapping.ToProto(f.RemovedAt),
                RemovedBy = f.RemovedBy,
            }));
        if (viewer.IsCirtStaff)
        {
            proto.AcknowledgedCount = a.Recipients.Count(r => r.AcknowledgedAt is not null);
            proto.OverdueCount = a.Recipients.Count(r => a.IsOverdue(r, now, chaseAfter));
        }

        return proto;
    }

    [GeneratedRegex(@"\ACVE-\d{4}-\d{4,7}\z")]
    private static partial Regex CveId();

    [GeneratedRegex(@"\AADV-\d{4}-\d{4,6}\z")]
    private static partial Regex AdvisoryId();
}
