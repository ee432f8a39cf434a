using System.Collections.Concurrent;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Server.Security;
using Google.Protobuf;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// Receives one delivery from a partner, checking in this order and refusing with a precise status:
/// <list type="number">
/// <item>the request's form: an envelope, a payload and a signature, each well-formed (INVALID_ARGUMENT);</item>
/// <item>who sends: the envelope's sender is the calling key's partner, registered and not suspended, and we are its recipient (PERMISSION_DENIED);</item>
/// <item>the signature: by a key of the sender valid now, over the envelope's canonical JSON (UNAUTHENTICATED);</item>
/// <item>the payload is the one signed: its canonical JSON has the envelope's digest (UNAUTHENTICATED: the signature does not cover it);</item>
/// <item>time: not expired, not made in the future (FAILED_PRECONDITION);</item>
/// <item>replay: a known id with the same digest is a resend, answered with its first receipt and applied
/// again nowhere; a known id with another digest, or a sequence not after the last accepted, is refused (ALREADY_EXISTS);</item>
/// <item>our agreement with the sender, TLP and route (<see cref="SharingPolicy.RefusalOnReceipt"/>: PERMISSION_DENIED);</item>
/// <item>a receiver for the kind of item (FAILED_PRECONDITION without one).</item>
/// </list>
/// Then the item is applied, the message recorded with its sequence, and a signed receipt answered.
/// Every refusal is stored (ListInboundRefusals), counted (cirt.federation.refused) and logged.
/// Deliveries from one partner are taken one at a time, so that two at once cannot both pass the
/// sequence check.
/// </summary>
public sealed class InboundDelivery(
    IGrainFactory grains,
    IFederationStore store,
    FederationIdentity identity,
    IEnumerable<IFederatedItemReceiver> receivers,
    SecurityMetrics metrics,
    ILogger<InboundDelivery> logger)
{
    /// <summary>The longest envelope accepted: its fields take a few hundred characters.</summary>
    public const int MaxEnvelopeLength = 4_096;

    /// <summary>How far in the future an envelope may have been made, for clocks that disagree.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<SharedItemKind, IFederatedItemReceiver> _receivers = receivers.ToDictionary(r => r.Kind);

    /// <summary>Takes a delivery made with a key of <paramref name="keyPartnerId"/>; a refusal ends as an <see cref="RpcException"/>.</summary>
    public async Task<Proto.DeliverResponse> DeliverAsync(Proto.DeliverRequest request, string keyPartnerId, CancellationToken cancellationToken)
    {
        var (claimedSender, messageId) = ("", "");
        try
        {
            var (envelope, payload) = Read(request);
            (claimedSender, messageId) = (envelope.Sender, envelope.MessageId);
            var sender = await SenderAsync(envelope, keyPartnerId);
            var now = TimeProvider.System.GetUtcNow();
            CheckSignature(request, envelope, sender, now);
            CheckTimes(envelope, now);
            var gate = _gates.GetOrAdd(sender.Id, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await AcceptAsync(envelope, payload, sender, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }
        catch (DeliveryRefusedException refused)
        {
            if (claimedSender.Length == 0 && messageId.Length == 0)
            {
                (claimedSender, messageId) = Claimed(request.Envelope);
            }

            await RefuseAsync(refused.Status, refused.Code, refused.Message, claimedSender, keyPartnerId, messageId);
            throw new RpcException(new Status(refused.Status, refused.Message));
        }
    }

    /// <summary>Step 1: an envelope, a payload and a signature, each well-formed.</summary>
    private static (Proto.FederationEnvelope Envelope, Proto.FederatedPayload Payload) Read(Proto.DeliverRequest request)
    {
        if (request.Envelope.Length == 0 || request.Payload.Length == 0)
        {
            throw request.Envelope.Length == 0 ? Malformed("no_envelope", "The request carries no envelope.") : Malformed("no_payload", "The request carries no payload.");
        }

        if (request.Signature.Length == 0)
        {
            throw Malformed("unsigned", "The envelope is not signed.");
        }

        if (request.Signature.Length != 64)
        {
            throw Malformed("malformed", $"signature: {request.Signature.Length} bytes; an ECDSA P-256 signature (IEEE P1363) has 64.");
        }

        if (!IsFingerprint(request.KeyFingerprint))
        {
            throw Malformed("malformed", "key_fingerprint: must be the 64 lower-case hex digits of the signing key's fingerprint.");
        }

        if (request.Envelope.Length > MaxEnvelopeLength)
        {
            throw Malformed("malformed", $"envelope: {request.Envelope.Length} characters; the limit is {MaxEnvelopeLength}.");
        }

        var envelope = Parse<Proto.FederationEnvelope>(request.Envelope, "envelope");
        var payload = Parse<Proto.FederatedPayload>(request.Payload, "payload");
        if (EnvelopeProblem(envelope) is { } problem)
        {
            throw Malformed("malformed", "envelope: " + problem);
        }

        if (payload.Origin is null || payload.Kind is not (Proto.SharedItemKind.Advisory or Proto.SharedItemKind.Incident))
        {
            throw Malformed("malformed", "payload: must name its origin and a kind (ADVISORY or INCIDENT).");
        }

        return (envelope, payload);
    }

    /// <summary>Step 2: the calling key's partner sends, registered and active, to us.</summary>
    private async Task<Partner> SenderAsync(Proto.FederationEnvelope envelope, string keyPartnerId)
    {
        if (envelope.Sender != keyPartnerId)
        {
            throw new DeliveryRefusedException(StatusCode.PermissionDenied, "sender_mismatch",
                $"The envelope names sender '{Echo.Of(envelope.Sender)}', but the calling key belongs to partner '{keyPartnerId}'.");
        }

        var sender = await grains.GetGrain<IPartnerGrain>(envelope.Sender).GetAsync()
                     ?? throw new DeliveryRefusedException(StatusCode.PermissionDenied, "unknown_sender", $"'{envelope.Sender}' is not a registered partner.");
        if (sender.Status == PartnerStatus.Suspended)
        {
            throw new DeliveryRefusedException(StatusCode.PermissionDenied, "suspended_sender",
                $"Partner '{sender.Id}' is suspended here: nothing is accepted from it until a coordinator resumes the exchange.");
        }

        if (envelope.Recipient != identity.InstanceId)
        {
            throw new DeliveryRefusedException(StatusCode.PermissionDenied, "wrong_recipient",
                $"The envelope is addressed to '{Echo.Of(envelope.Recipient)}'; this instance is '{identity.InstanceId}'.");
        }

        return sender;
    }

    /// <summary>Steps 3 and 4: signed by a key of the sender valid now, over the envelope, whose digest is the payload's.</summary>
    private static void CheckSignature(Proto.DeliverRequest request, Proto.FederationEnvelope envelope, Partner sender, DateTimeOffset now)
    {
        if (SignedJson.ValidKey(sender.Keys, request.KeyFingerprint, now) is not { } key)
        {
            throw new DeliveryRefusedException(StatusCode.Unauthenticated, "unknown_key",
                $"Key {request.KeyFingerprint} is not a signing key of '{sender.Id}' valid now.");
        }

        if (!SignedJson.Verifies(key, request.Envelope, request.Signature.Span))
        {
            throw new DeliveryRefusedException(StatusCode.Unauthenticated, "bad_signature",
                $"The signature does not verify with key {key.Fingerprint} of '{sender.Id}' over the envelope's canonical JSON.");
        }

        if (SignedJson.Digest(request.Payload) != envelope.PayloadDigest)
        {
            throw new DeliveryRefusedException(StatusCode.Unauthenticated, "payload_digest",
                "The payload's digest is not the envelope's: the signature does not cover this payload.");
        }
    }

    /// <summary>Step 5: neither expired nor made in the future.</summary>
    private static void CheckTimes(Proto.FederationEnvelope envelope, DateTimeOffset now)
    {
        if (envelope.Expires.ToDateTimeOffset() < now)
        {
            throw new DeliveryRefusedException(StatusCode.FailedPrecondition, "expired",
                $"The envelope expired at {envelope.Expires.ToDateTimeOffset():O}; it is now {now:O}.");
        }

        if (envelope.Created.ToDateTimeOffset() > now + ClockSkew)
        {
            throw new DeliveryRefusedException(StatusCode.FailedPrecondition, "not_yet_valid",
                $"The envelope was made at {envelope.Created.ToDateTimeOffset():O}, more than {ClockSkew.TotalMinutes} minutes ahead of this instance's clock ({now:O}).");
        }
    }

    /// <summary>Steps 6 to 8 and applying, under the sender's gate.</summary>
    private async Task<Proto.DeliverResponse> AcceptAsync(Proto.FederationEnvelope envelope, Proto.FederatedPayload payload, Partner sender, CancellationToken cancellationToken)
    {
        if (await store.FindInboundAsync(sender.Id, envelope.MessageId, cancellationToken) is { } seen)
        {
            if (seen.PayloadDigest != envelope.PayloadDigest)
            {
                throw new DeliveryRefusedException(StatusCode.AlreadyExists, "replayed_id",
                    $"Message {envelope.MessageId} was accepted before with another payload.");
            }

            logger.LogInformation("Federation message {MessageId} from {PartnerId} received again: acknowledged with its first receipt", envelope.MessageId, sender.Id);
            return new Proto.DeliverResponse
            {
                Receipt = seen.Receipt, Signature = ByteString.CopyFrom(seen.Signature), KeyFingerprint = seen.ReceiptKey, Duplicate = true,
            };
        }

        var last = await store.LastInboundSequenceAsync(sender.Id, cancellationToken);
        if (envelope.Sequence <= last)
        {
            throw new DeliveryRefusedException(StatusCode.AlreadyExists, "old_sequence",
                $"Sequence {envelope.Sequence} is not after the last accepted from '{sender.Id}' ({last}).");
        }

        if (SharingPolicy.RefusalOnReceipt(payload, sender, identity.InstanceId) is { } refusal)
        {
            throw new DeliveryRefusedException(StatusCode.PermissionDenied, "agreement", refusal);
        }

        var kind = (SharedItemKind)(int)payload.Kind;
        if (!_receivers.TryGetValue(kind, out var receiver))
        {
            throw new DeliveryRefusedException(StatusCode.FailedPrecondition, "no_receiver", $"This instance does not take {kind} items from partners.");
        }

        try
        {
            await receiver.ApplyAsync(payload, sender.Id, cancellationToken);
        }
        catch (CirtException refused)
        {
            // The receiver refused the item (e.g. a change by someone other than its origin).
            throw new DeliveryRefusedException(Api.ErrorInterceptor.ToRpc(refused).StatusCode, "receiver", refused.Message);
        }
        catch (RpcException refused) when (!DeliveryLane.IsTransient(refused.StatusCode))
        {
            throw new DeliveryRefusedException(refused.StatusCode, "receiver", refused.Status.Detail);
        }
        var now = TimeProvider.System.GetUtcNow();
        var receipt = SignedJson.Canonical(new Proto.FederationReceipt
        {
            Receiver = identity.InstanceId,
            Sender = sender.Id,
            MessageId = envelope.MessageId,
            Sequence = envelope.Sequence,
            PayloadDigest = envelope.PayloadDigest,
            ReceivedAt = Api.CommonMapping.ToProto(now),
        });
        var signature = identity.Sign(Jcs.Canonicalize(receipt));
        // Applied: recorded even when the caller gave up meanwhile (its resend then gets this receipt).
        // Stored once: when another silo of a cluster took the same delivery at the same moment, the
        // receipt it recorded first is the one both answer.
        var stored = await store.RecordInboundAsync(sender.Id,
            new InboundReceipt(envelope.MessageId, envelope.Sequence, envelope.PayloadDigest, receipt, signature, identity.Fingerprint), now, CancellationToken.None);
        var first = stored.Receipt == receipt;
        logger.LogInformation("Federation message {MessageId} ({Sequence}) from {PartnerId} accepted: {Kind} {Action} of {OriginItemId} v{OriginVersion}{Duplicate}",
            envelope.MessageId, envelope.Sequence, sender.Id, kind, payload.Action, payload.Origin.ItemId, payload.Origin.ItemVersion,
            first ? "" : " (taken by another silo at the same moment: its receipt answered)");
        return new Proto.DeliverResponse
        {
            Receipt = stored.Receipt, Signature = ByteString.CopyFrom(stored.Signature), KeyFingerprint = stored.ReceiptKey, Duplicate = !first,
        };
    }

    private async Task RefuseAsync(StatusCode status, string code, string reason, string claimedSender, string keyPartnerId, string messageId)
    {
        var statusName = DeliveryLane.Describe(status);
        metrics.FederationRefused(statusName, code);
        logger.LogWarning("Federation delivery refused ({Status}, {Code}): message {MessageId} claimed from {ClaimedSender}, key of {KeyPartnerId}: {Reason}",
            statusName, code, messageId, claimedSender, keyPartnerId, reason);
        await store.RecordRefusalAsync(new InboundRefusalEntry(0, TimeProvider.System.GetUtcNow(), Echo.Of(claimedSender), keyPartnerId,
            Echo.Of(messageId), statusName, reason));
    }

    /// <summary>Who a refused envelope claims to be from, and its id, as far as it can be read (for the record only).</summary>
    private static (string Sender, string MessageId) Claimed(string envelopeJson)
    {
        try
        {
            var envelope = Parser.Parse<Proto.FederationEnvelope>(envelopeJson);
            return (envelope.Sender, envelope.MessageId);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return ("", "");
        }
    }

    private static T Parse<T>(string json, string field) where T : IMessage, new()
    {
        try
        {
            Jcs.Canonicalize(json);
            return Parser.Parse<T>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw Malformed("malformed", $"{field}: not a {typeof(T).Name} in JSON ({Echo.Of(ex.Message)})");
        }
    }

    private static string? EnvelopeProblem(Proto.FederationEnvelope envelope)
    {
        if (!PartnerRules.IsValidId(envelope.Sender) || !PartnerRules.IsValidId(envelope.Recipient))
        {
            return "sender and recipient must be instance ids";
        }

        if (!Guid.TryParseExact(envelope.MessageId, "D", out var id) || id.ToString("D") != envelope.MessageId)
        {
            return "message_id must be a UUID in lower case";
        }

        if (envelope.Sequence < 1)
        {
            return "sequence must be 1 or more";
        }

        try
        {
            if (envelope.Created is null || envelope.Expires is null || envelope.Expires.ToDateTimeOffset() <= envelope.Created.ToDateTimeOffset())
            {
                return "created and expires are required, expires after created";
            }
        }
        catch (InvalidOperationException)
        {
            return "created and expires must be valid timestamps";
        }

        return SignedJson.IsDigest(envelope.PayloadDigest) ? null : "payload_digest must be 'sha256:' and 64 lower-case hex digits";
    }

    private static bool IsFingerprint(string value) => value.Length == 64 && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    private static DeliveryRefusedException Malformed(string code, string reason) => new(StatusCode.InvalidArgument, code, reason);
}
