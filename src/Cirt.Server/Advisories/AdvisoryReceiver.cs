using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Grains.Sectors;
using Cirt.Server.Federation;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Advisories;

/// <summary>
/// Applies advisories partner CIRTs deliver (after FederationService/Deliver has verified the
/// message): the first copy becomes a draft here, under a local id the catalog keeps for its origin's
/// instance and id; a newer version replaces it, a withdrawal withdraws it (<see cref="AdvisoryRules.Receive"/>,
/// <see cref="AdvisoryRules.ReceiveWithdrawal"/>). Nothing comes back to us: an item whose origin or
/// route is this instance is refused.
/// </summary>
public sealed class AdvisoryReceiver(IGrainFactory grains, CirtClock clock, IOptions<FederationOptions> federation, ILogger<AdvisoryReceiver> logger)
    : IFederatedItemReceiver
{
    public SharedItemKind Kind => SharedItemKind.Advisory;

    public async Task ApplyAsync(Proto.FederatedPayload payload, string senderPartnerId, CancellationToken cancellationToken)
    {
        var origin = ItemOriginMapping.ToDomain(payload.Origin, senderPartnerId);
        var self = federation.Value.InstanceId;
        if (origin.Route.Contains(self, StringComparer.Ordinal))
        {
            throw new CirtException(CirtErrorKind.PermissionDenied, $"Advisory {origin.ItemId} of {origin.InstanceId} already passed through {self}: it does not come back.");
        }

        var catalog = grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);
        switch (payload.Action)
        {
            case Proto.OutboxAction.Publish when payload.ItemCase == Proto.FederatedPayload.ItemOneofCase.Advisory:
            {
                var (content, publishedAt) = await ContentAsync(payload.Advisory);
                var id = await catalog.ReceivedIdAsync(origin.InstanceId, origin.ItemId, clock.GetUtcNow().Year);
                var advisory = await grains.GetGrain<IAdvisoryGrain>(id).ReceiveAsync(content, origin, publishedAt);
                logger.LogInformation("Advisory {OriginItemId} of {Origin} version {OriginVersion} from {Sender}: held as {AdvisoryId} version {Version}",
                    origin.ItemId, origin.InstanceId, origin.ItemVersion, senderPartnerId, id, advisory.Version);
                break;
            }

            case Proto.OutboxAction.Withdraw when payload.ItemCase == Proto.FederatedPayload.ItemOneofCase.Withdrawal:
            {
                var withdrawal = payload.Withdrawal;
                if (withdrawal.Reason.Length > Limits.ReasonLength)
                {
                    throw new CirtException(CirtErrorKind.InvalidArgument,
                        $"withdrawal.reason is {withdrawal.Reason.Length} characters long; the limit is {Limits.ReasonLength}.", "withdrawal.reason");
                }

                var withdrawnAt = Checked("withdrawal.withdrawn_at", v => FieldRules.Time(v, "withdrawal.withdrawn_at", withdrawal.WithdrawnAt)) ?? clock.GetUtcNow();
                var id = await catalog.ReceivedIdAsync(origin.InstanceId, origin.ItemId, clock.GetUtcNow().Year);
                await grains.GetGrain<IAdvisoryGrain>(id).ReceiveWithdrawalAsync(origin, withdrawal.Reason, withdrawnAt);
                logger.LogInformation("Advisory {OriginItemId} of {Origin} withdrawn, as {Sender} tells: {AdvisoryId}", origin.ItemId, origin.InstanceId, senderPartnerId, id);
                break;
            }

            default:
                throw new CirtException(CirtErrorKind.InvalidArgument,
                    "An advisory is published (action PUBLISH with the advisory) or withdrawn (action WITHDRAW with the withdrawal).", "action");
        }
    }

    /// <summary>
    /// The shared advisory as our content, checked as a coordinator's would be (under "advisory").
    /// Its sectors that exist here become its suggested targets; the names of organisations abroad
    /// are not ours to address, so it has no target stakeholders.
    /// </summary>
    private async Task<(AdvisoryContent Content, DateTimeOffset PublishedAt)> ContentAsync(Proto.SharedAdvisory shared)
    {
        var wire = new Proto.AdvisoryContent { Title = shared.Title, Summary = shared.Summary, Tlp = shared.Tlp };
        wire.AffectedProducts.AddRange(shared.AffectedProducts);
        wire.Cves.AddRange(shared.Cves);
        wire.Indicators.AddRange(shared.Indicators);
        wire.RecommendedActions.AddRange(shared.RecommendedActions);
        var content = Checked("advisory", _ => AdvisoryRequests.Content(wire, "advisory"));
        var publishedAt = Checked("advisory.published_at", v => FieldRules.Time(v, "advisory.published_at", shared.PublishedAt)) ?? clock.GetUtcNow();

        var sectors = new List<string>();
        foreach (var code in shared.Sectors.Distinct().Take(Limits.SectorsPerItem))
        {
            var shape = new Violations();
            FieldRules.SectorCode(shape, "", code);
            if (!shape.Any && await grains.GetGrain<ISectorGrain>(code).GetAsync() is not null)
            {
                sectors.Add(code);
            }
        }

        return (content with { TargetSectors = [.. sectors] }, publishedAt);
    }

    /// <summary>
    /// Runs a shape check written for requests, and turns what it finds into the refusal a receiver
    /// gives (a <see cref="CirtException"/>, which Deliver records and answers with INVALID_ARGUMENT).
    /// </summary>
    private static T Checked<T>(string field, Func<Violations, T> check)
    {
        try
        {
            var v = new Violations();
            var result = check(v);
            v.ThrowIfAny();
            return result;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, ex.Status.Detail, field);
        }
    }
}
