using System.Text.RegularExpressions;
using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Grains.Sectors;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Federation;
using Cirt.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Advisories;

/// <summary>
/// cirt.v1.AdvisoryService: advisories, their delivery by TLP and their acknowledgement, sharing with
/// partner CIRTs, and the advisories partners shared with us.
/// </summary>
public sealed partial class AdvisoryGrpcService(IGrainFactory grains, CirtClock clock, IOptions<AdvisoryOptions> options, IShareQueue outbox)
    : Proto.AdvisoryService.AdvisoryServiceBase
{
    public override async Task<Proto.CreateAdvisoryResponse> CreateAdvisory(Proto.CreateAdvisoryRequest request, ServerCallContext context)
    {
        var content = AdvisoryRequests.Content(request.Content);
        await EnsurePartnersAsync(content.PartnerRecipients);
        var catalog = grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);
        var id = await catalog.NextIdAsync(clock.GetUtcNow().Year);
        var advisory = await grains.GetGrain<IAdvisoryGrain>(id).CreateAsync(content, context.Principal().Actor);
        return new Proto.CreateAdvisoryResponse { Advisory = await ToProtoAsync(advisory, context.Principal()) };
    }

    public override async Task<Proto.UpdateAdvisoryResponse> UpdateAdvisory(Proto.UpdateAdvisoryRequest request, ServerCallContext context)
    {
        var grain = Grain(request.Id);
        var content = AdvisoryRequests.Content(request.Content);
        var current = await grain.GetAsync() ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        await EnsurePartnersAsync(content.PartnerRecipients.Except(current.Content.PartnerRecipients));
        var recipients = current.Status == AdvisoryStatus.Published ? await RecipientsAsync(content) : [];
        var advisory = await grain.UpdateAsync(content, recipients, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.UpdateAdvisoryResponse { Advisory = await ToProtoAsync(advisory, context.Principal()) };
    }

    public override async Task<Proto.PublishAdvisoryResponse> PublishAdvisory(Proto.PublishAdvisoryRequest request, ServerCallContext context)
    {
        var grain = Grain(request.Id);
        var current = await grain.GetAsync() ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        var recipients = await RecipientsAsync(current.Content);
        var advisory = await grain.PublishAsync(recipients, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.PublishAdvisoryResponse { Advisory = await ToProtoAsync(advisory, context.Principal()) };
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
        return new Proto.WithdrawAdvisoryResponse { Advisory = await ToProtoAsync(advisory, context.Principal()) };
    }

    public override async Task<Proto.GetAdvisoryResponse> GetAdvisory(Proto.GetAdvisoryRequest request, ServerCallContext context)
    {
        var caller = context.Principal();
        var stored = await Grain(request.Id).GetAsync();
        // An advisory not delivered to the caller's organisation is answered as unknown.
        var advisory = (stored is null ? null : await SeenByAsync(caller, stored)) ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        return new Proto.GetAdvisoryResponse { Advisory = await ToProtoAsync(advisory, caller) };
    }

    public override async Task<Proto.ListAdvisoriesResponse> ListAdvisories(Proto.ListAdvisoriesRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.Enum("status", request.Status, required: false);
        v.ThrowIfAny();
        var caller = context.Principal();
        var stored = request.ReceivedOnly ? await ReceivedAsync() : await grains.AllAsync();
        var advisories = (await Task.WhenAll(stored.Select(a => SeenByAsync(caller, a))))
            .OfType<Advisory>()
            .Where(a => request.Status == Proto.AdvisoryStatus.Unspecified || (int)a.Status == (int)request.Status)
            .Where(a => !request.UnacknowledgedOnly || a.Recipients.Any(r => r.AcknowledgedAt is null && (caller.IsCirtStaff || r.StakeholderId == caller.StakeholderId)))
            .Where(a => !request.ReceivedOnly || a.Origin is not null)
            .OrderByDescending(a => a.CreatedAt)
            .ToArray();
        var states = await OutboxStatesAsync(advisories, caller);
        var response = new Proto.ListAdvisoriesResponse();
        response.Advisories.AddRange(advisories.Select(a => ToProto(a, caller, states)));
        return response;
    }

    public override async Task<Proto.AcknowledgeAdvisoryResponse> AcknowledgeAdvisory(Proto.AcknowledgeAdvisoryRequest request, ServerCallContext context)
    {
        // Only operators get here (the access rules): the organisations advisories are delivered to.
        var caller = context.Principal();
        var advisory = await Grain(request.Id).AcknowledgeAsync(caller.StakeholderId, caller.Actor);
        return new Proto.AcknowledgeAdvisoryResponse
        {
            Advisory = await ToProtoAsync(await SeenByAsync(caller, advisory) ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id), caller),
        };
    }

    public override async Task<Proto.ShareAdvisoryResponse> ShareAdvisory(Proto.ShareAdvisoryRequest request, ServerCallContext context)
    {
        var v = new Violations();
        if (request.PartnerIds.Count == 0)
        {
            v.Add("partner_ids", "is required: name at least one partner (e.g. cirt-de)");
        }

        AdvisoryRequests.PartnerIds(v, "partner_ids", request.PartnerIds);
        v.ThrowIfAny();
        var grain = Grain(request.Id);
        if (await grain.GetAsync() is null)
        {
            RpcErrors.NotFound("Advisory", request.Id);
        }

        string[] partnerIds = [.. request.PartnerIds.Distinct()];
        await EnsurePartnersAsync(partnerIds);
        var advisory = await grain.ShareAsync(partnerIds, context.Principal().Actor);
        return new Proto.ShareAdvisoryResponse { Advisory = await ToProtoAsync(advisory, context.Principal()) };
    }

    /// <summary>The advisories partners shared with us, read from their grains.</summary>
    private async Task<Advisory[]> ReceivedAsync()
    {
        var ids = await grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).ListReceivedAsync();
        return (await Task.WhenAll(ids.Select(id => grains.GetGrain<IAdvisoryGrain>(id).GetAsync()))).OfType<Advisory>().ToArray();
    }

    /// <summary>NOT_FOUND naming the first of <paramref name="partnerIds"/> that is not a registered partner.</summary>
    private async Task EnsurePartnersAsync(IEnumerable<string> partnerIds)
    {
        foreach (var id in partnerIds)
        {
            if (await grains.GetGrain<IPartnerGrain>(id).GetAsync() is null)
            {
                RpcErrors.Throw(StatusCode.NotFound, $"Partner '{id}' was not found: register it first (PartnerService.RegisterPartner).");
            }
        }
    }

    /// <summary>Where the latest messages to partners stand now (CIRT staff only see them).</summary>
    private async Task<IReadOnlyDictionary<string, OutboxState>> OutboxStatesAsync(IReadOnlyCollection<Advisory> advisories, Principal viewer)
    {
        var messageIds = viewer.IsCirtStaff
            ? advisories.SelectMany(a => a.PartnerShares).Select(s => s.MessageId).Where(id => id.Length > 0).Distinct().ToArray()
            : [];
        return messageIds.Length == 0 ? new Dictionary<string, OutboxState>() : await outbox.StatesAsync(messageIds);
    }

    private async Task<Proto.Advisory> ToProtoAsync(Advisory a, Principal viewer) => ToProto(a, viewer, await OutboxStatesAsync([a], viewer));

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

    /// <summary>
    /// The wire form of <paramref name="a"/>, which must already be the advisory as
    /// <paramref name="viewer"/> may see it (<see cref="AdvisoryRules.AsSeenBy"/>): this only leaves
    /// out what is the CIRT's business (targets, other recipients, counts, partner recipients and what
    /// sharing came to, and of a received advisory everything but the country it came from).
    /// <paramref name="states"/> says where the latest messages to partners stand now.
    /// </summary>
    private Proto.Advisory ToProto(Advisory a, Principal viewer, IReadOnlyDictionary<string, OutboxState> states)
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
            content.PartnerRecipients.AddRange(a.Content.PartnerRecipients);
        }

        var proto = new Proto.Advisory
        {
            Id = a.Id,
            Content = content,
            Status = (Proto.AdvisoryStatus)(int)a.Status,
            Version = a.Version,
            CreatedAt = CommonMapping.ToProto(a.CreatedAt),
            CreatedBy = ShownActor(a, a.CreatedBy, viewer),
            UpdatedAt = CommonMapping.ToProto(a.UpdatedAt),
            UpdatedBy = ShownActor(a, a.UpdatedBy, viewer),
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
                RemovedBy = ShownActor(a, f.RemovedBy, viewer),
            }));
        if (viewer.IsCirtStaff)
        {
            proto.AcknowledgedCount = a.Recipients.Count(r => r.AcknowledgedAt is not null);
            proto.OverdueCount = a.Recipients.Count(r => a.IsOverdue(r, now, chaseAfter));
            proto.Origin = a.Origin is null ? null : ItemOriginMapping.ToProto(a.Origin);
            proto.PartnerShares.AddRange(a.PartnerShares.Select(s => new Proto.AdvisoryPartnerShare
            {
                PartnerId = s.PartnerId,
                MessageId = s.MessageId,
                State = states.TryGetValue(s.MessageId, out var state) ? (Proto.OutboxState)(int)state
                    : s.State is { } recorded ? (Proto.OutboxState)(int)recorded
                    : Proto.OutboxState.Unspecified,
                Version = s.ItemVersion,
                RefusedReason = s.RefusedReason,
            }));
        }
        else if (a.Origin is not null)
        {
            // An operator learns only that a partner CIRT of this country shared it.
            proto.Origin = new Proto.ItemOrigin { Country = a.Origin.Country };
        }

        return proto;
    }

    /// <summary>Who made a change, as <paramref name="viewer"/> is told: an operator is not told which partner instance changed a received advisory.</summary>
    private static string ShownActor(Advisory a, string actor, Principal viewer) =>
        viewer.IsCirtStaff || a.Origin is null || !actor.StartsWith(AdvisoryRules.PartnerActorPrefix, StringComparison.Ordinal)
            ? actor
            : $"a partner CIRT ({a.Origin.Country})";

    [GeneratedRegex(@"\AADV-\d{4}-\d{4,6}\z")]
    private static partial Regex AdvisoryId();
}
