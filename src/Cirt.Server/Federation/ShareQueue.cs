using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Google.Protobuf;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// The durable outbox as grains use it: builds each partner's payload from our record
/// (<see cref="SharedItems"/>), lets <see cref="SharingPolicy"/> decide what of it may leave, and
/// puts the message in the <see cref="IFederationStore"/> held (personal data found) or queued; then wakes
/// the <see cref="OutboxDispatcher"/>. Idempotent per partner, item version and action.
/// </summary>
public sealed class ShareQueue(
    IGrainFactory grains,
    IFederationStore store,
    FederationIdentity identity,
    OutboxDispatcher dispatcher,
    CirtClock clock,
    ILogger<ShareQueue> logger) : IShareQueue
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public async Task<ShareOutcome[]> ShareAdvisoryAsync(Advisory advisory, ShareAction action, IReadOnlyList<string> partnerIds, string actor)
    {
        var payload = new Proto.FederatedPayload
        {
            Origin = OriginFor(advisory.Origin, advisory.Id, advisory.Version),
            Kind = Proto.SharedItemKind.Advisory,
            Action = (Proto.OutboxAction)(int)action,
        };
        if (action == ShareAction.Withdraw)
        {
            payload.Withdrawal = new Proto.SharedWithdrawal { Reason = advisory.WithdrawReason, WithdrawnAt = Api.CommonMapping.ToProto(advisory.WithdrawnAt) };
        }
        else
        {
            payload.Advisory = SharedItems.Advisory(advisory);
        }

        var context = new EgressContext(identity.InstanceId, NamesPartner: true, []) { ItemTlp = advisory.Content.Tlp };
        var outcomes = new List<ShareOutcome>(partnerIds.Count);
        foreach (var partnerId in partnerIds.Distinct(StringComparer.Ordinal))
        {
            outcomes.Add(await QueueAsync(payload, SharedItemKind.Advisory, advisory.Id, advisory.Version, action, "", partnerId, context, actor));
        }

        return outcomes.ToArray();
    }

    public async Task<ShareOutcome[]> ShareIncidentAsync(Incident incident, ShareAction action, IReadOnlyList<string> partnerIds, IncidentFollowUp? followUp, string actor)
    {
        var payload = IncidentPayloads.For(incident, action, followUp, OriginFor(null, incident.TrackingId, incident.Version));
        var (version, noteKey) = IncidentPayloads.KeyOf(incident, followUp);
        // The analyst names the partner by sharing with it; a follow-up goes where the incident went.
        var context = new EgressContext(identity.InstanceId, NamesPartner: true, []) { ItemTlp = incident.Tlp };
        var outcomes = new List<ShareOutcome>(partnerIds.Count);
        foreach (var partnerId in partnerIds.Distinct(StringComparer.Ordinal))
        {
            outcomes.Add(await QueueAsync(payload, SharedItemKind.Incident, incident.TrackingId, version, action, noteKey, partnerId, context, actor));
        }

        return outcomes.ToArray();
    }

    public Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds) => store.StatesAsync(messageIds);

    /// <summary>
    /// Where an item we share comes from: ourselves, or for an item we received, its origin with us
    /// added to its route and marked as passed on.
    /// </summary>
    public Proto.ItemOrigin OriginFor(ItemOrigin? received, string itemId, long itemVersion)
    {
        if (received is null)
        {
            return new Proto.ItemOrigin
            {
                InstanceId = identity.InstanceId, Country = identity.Country, ItemId = itemId, ItemVersion = itemVersion, Route = { identity.InstanceId },
            };
        }

        var origin = ItemOriginMapping.ToProto(received);
        origin.Reshared = true;
        origin.Route.Add(identity.InstanceId);
        return origin;
    }

    private async Task<ShareOutcome> QueueAsync(
        Proto.FederatedPayload payload, SharedItemKind kind, string itemId, long itemVersion, ShareAction action, string noteKey,
        string partnerId, EgressContext context, string actor)
    {
        var partner = await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync();
        if (partner is null)
        {
            return new ShareOutcome(partnerId, "", null, itemVersion, $"Partner '{partnerId}' is not registered.");
        }

        var decision = SharingPolicy.Decide(payload, partner, context with { PseudonymKey = identity.PseudonymKeyFor(partnerId) });
        if (decision is SharingDecision.Refused refused)
        {
            logger.LogInformation("{Kind} {ItemId} v{Version} not shared with {PartnerId}: {Reason}", kind, itemId, itemVersion, partnerId, refused.Reason);
            return new ShareOutcome(partnerId, "", null, itemVersion, refused.Reason);
        }

        (OutboxState State, Proto.FederatedPayload Payload, string Findings) leaving = decision switch
        {
            SharingDecision.Held held => (OutboxState.Held, held.Redacted, "[" + string.Join(",", held.Findings.Select(f => Formatter.Format(f))) + "]"),
            SharingDecision.Send send => (OutboxState.Queued, send.Payload, "[]"),
            _ => throw new InvalidOperationException($"Unknown sharing decision {decision.GetType().Name}."),
        };
        var json = SignedJson.Canonical(leaving.Payload);
        var message = await store.EnqueueAsync(new NewOutboxMessage(
            partnerId, kind, itemId, itemVersion, action, noteKey, leaving.State, json, SignedJson.Digest(json), leaving.Findings, clock.GetUtcNow(), actor));
        if (message.State == OutboxState.Queued)
        {
            dispatcher.Wake(partnerId);
        }
        else if (message.State == OutboxState.Held)
        {
            logger.LogWarning("{Kind} {ItemId} v{Version} for {PartnerId} held for approval: personal data found ({MessageId})",
                kind, itemId, itemVersion, partnerId, message.MessageId);
        }

        return new ShareOutcome(partnerId, message.MessageId, message.State, itemVersion, "");
    }
}
