using Cirt.Grains.Partners;
using Google.Protobuf;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// Messages between instances as both sides see them: the signed request that carries an outbox
/// message, and the checks on the receipt that comes back.
/// </summary>
public static class FederationEnvelopes
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>
    /// The request that delivers <paramref name="message"/> to <paramref name="partnerId"/>: its
    /// envelope (fresh times, the message's id and sequence, the payload's digest) in canonical JSON,
    /// signed with our key.
    /// </summary>
    public static Proto.DeliverRequest Request(FederationIdentity identity, OutboxEntry message, long sequence, string partnerId, DateTimeOffset now, TimeSpan lifetime)
    {
        var envelope = SignedJson.Canonical(new Proto.FederationEnvelope
        {
            Sender = identity.InstanceId,
            Recipient = partnerId,
            MessageId = message.MessageId,
            Sequence = sequence,
            Created = Api.CommonMapping.ToProto(now),
            Expires = Api.CommonMapping.ToProto(now + lifetime),
            PayloadDigest = message.PayloadDigest,
        });
        return new Proto.DeliverRequest
        {
            Envelope = envelope,
            Payload = message.Payload,
            Signature = ByteString.CopyFrom(identity.Sign(Jcs.Canonicalize(envelope))),
            KeyFingerprint = identity.Fingerprint,
        };
    }

    /// <summary>
    /// Why <paramref name="response"/> is not a valid receipt for <paramref name="message"/> from
    /// <paramref name="partner"/>, or null: signed by one of its keys valid now, naming us, the
    /// partner, the message and the digest we sent.
    /// </summary>
    public static string? ReceiptProblem(Proto.DeliverResponse response, Partner partner, string localInstanceId, OutboxEntry message, DateTimeOffset now)
    {
        Proto.FederationReceipt receipt;
        try
        {
            receipt = Parser.Parse<Proto.FederationReceipt>(response.Receipt);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return "the receipt is not a FederationReceipt in JSON";
        }

        if (SignedJson.ValidKey(partner.Keys, response.KeyFingerprint, now) is not { } key)
        {
            return $"the receipt is signed with key '{Grains.Common.Echo.Of(response.KeyFingerprint)}', which is not a key of {partner.Id} valid now";
        }

        if (!SignedJson.Verifies(key, response.Receipt, response.Signature.Span))
        {
            return "the receipt's signature does not verify";
        }

        if (receipt.MessageId != message.MessageId || receipt.PayloadDigest != message.PayloadDigest)
        {
            return "the receipt names another message or digest";
        }

        return receipt.Receiver != partner.Id || receipt.Sender != localInstanceId
            ? "the receipt names other instances"
            : null;
    }
}
