using System.Text.Json;
using Cirt.Grains.Partners;
using Google.Protobuf;
using Polly.CircuitBreaker;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>Partners, agreements and the outbox between their domain form and the wire. Proto and domain enums share their numbers.</summary>
public static class PartnerMapping
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>A partner as coordinators see it: never the key it issued to us, only whether we hold one.</summary>
    public static Proto.Partner ToProto(Partner partner, DeliveryCounts counts, CircuitState circuit)
    {
        var proto = new Proto.Partner
        {
            Id = partner.Id,
            Name = partner.Name,
            Country = partner.Country,
            EndpointUrl = partner.EndpointUrl,
            Agreement = ToProto(partner.Agreement),
            Status = (Proto.PartnerStatus)(int)partner.Status,
            Version = partner.Version,
            RegisteredAt = CommonMapping.ToProto(partner.RegisteredAt),
            RegisteredBy = partner.RegisteredBy,
            UpdatedAt = CommonMapping.ToProto(partner.UpdatedAt),
            UpdatedBy = partner.UpdatedBy,
            SuspendReason = partner.SuspendReason,
            HasOutboundKey = partner.OutboundApiKey.Length > 0,
            Delivery = new Proto.DeliveryState
            {
                Queued = counts.Queued,
                Held = counts.Held,
                Delivered = counts.Delivered,
                Failed = counts.Failed,
                LastError = counts.LastError,
                LastErrorAt = CommonMapping.ToProto(counts.LastErrorAt),
                LastDeliveredAt = CommonMapping.ToProto(counts.LastDeliveredAt),
                Circuit = circuit switch
                {
                    CircuitState.Closed => Proto.CircuitState.Closed,
                    CircuitState.HalfOpen => Proto.CircuitState.HalfOpen,
                    _ => Proto.CircuitState.Open,
                },
                NextAttemptAt = CommonMapping.ToProto(counts.NextAttemptAt),
            },
        };
        proto.Keys.Add(partner.Keys.Select(k => new Proto.PartnerKey
        {
            PublicKey = k.PublicKeyPem, Fingerprint = k.Fingerprint, AddedAt = CommonMapping.ToProto(k.AddedAt), ValidUntil = CommonMapping.ToProto(k.ValidUntil),
        }));
        return proto;
    }

    public static Proto.SharingAgreement ToProto(SharingAgreement agreement)
    {
        var proto = new Proto.SharingAgreement
        {
            MaxTlp = CommonMapping.ToProto(agreement.MaxTlp),
            AllSectors = agreement.AllSectors,
            Indicators = agreement.Indicators,
            AffectedOrganisationNames = agreement.AffectedOrganisationNames,
            PersonalData = (Proto.PersonalDataPolicy)(int)agreement.PersonalData,
            LegalBasis = agreement.LegalBasis,
            RetentionDays = agreement.RetentionDays,
        };
        proto.Sectors.Add(agreement.Sectors);
        proto.Kinds.Add(agreement.Kinds.Select(k => (Proto.SharedItemKind)(int)k));
        return proto;
    }

    /// <summary>An agreement as written; an unspecified personal-data policy is the strictest, NONE.</summary>
    public static SharingAgreement? ToDomain(Proto.SharingAgreement? agreement) => agreement is null
        ? null
        : new SharingAgreement(
            CommonMapping.ToDomain(agreement.MaxTlp),
            agreement.Sectors.ToArray(),
            agreement.AllSectors,
            agreement.Kinds.Select(k => (SharedItemKind)(int)k).ToArray(),
            agreement.Indicators,
            agreement.AffectedOrganisationNames,
            agreement.PersonalData == Proto.PersonalDataPolicy.Unspecified ? PersonalDataPolicy.None : (PersonalDataPolicy)(int)agreement.PersonalData,
            agreement.LegalBasis,
            agreement.RetentionDays);

    public static Proto.OutboxMessage ToProto(OutboxEntry message)
    {
        var proto = new Proto.OutboxMessage
        {
            MessageId = message.MessageId,
            PartnerId = message.PartnerId,
            Kind = (Proto.SharedItemKind)(int)message.Kind,
            ItemId = message.ItemId,
            ItemVersion = message.ItemVersion,
            Action = (Proto.OutboxAction)(int)message.Action,
            State = (Proto.OutboxState)(int)message.State,
            Sequence = message.Sequence,
            Attempts = message.Attempts,
            QueuedAt = CommonMapping.ToProto(message.QueuedAt),
            QueuedBy = message.QueuedBy,
            DeliveredAt = CommonMapping.ToProto(message.DeliveredAt),
            LastError = message.LastError,
            NextAttemptAt = message.State == OutboxState.Queued ? CommonMapping.ToProto(message.NextAttemptAt) : null,
            PayloadDigest = message.PayloadDigest,
            DecidedBy = message.DecidedBy,
            DiscardReason = message.DiscardReason,
            Receipt = message.Receipt,
        };
        using var findings = JsonDocument.Parse(message.Findings);
        proto.Findings.Add(findings.RootElement.EnumerateArray().Select(f => Parser.Parse<Proto.PersonalDataFinding>(f.GetRawText())));
        return proto;
    }

    public static Proto.EgressRecord ToProto(EgressEntry egress) => new()
    {
        MessageId = egress.MessageId,
        PartnerId = egress.PartnerId,
        Kind = (Proto.SharedItemKind)(int)egress.Kind,
        ItemId = egress.ItemId,
        ItemVersion = egress.ItemVersion,
        Action = (Proto.OutboxAction)(int)egress.Action,
        PayloadDigest = egress.PayloadDigest,
        PayloadBytes = egress.PayloadBytes,
        SentAt = CommonMapping.ToProto(egress.SentAt),
        QueuedBy = egress.QueuedBy,
        ApprovedBy = egress.ApprovedBy,
    };

    public static Proto.InboundRefusal ToProto(InboundRefusalEntry refusal) => new()
    {
        At = CommonMapping.ToProto(refusal.At),
        ClaimedSender = refusal.ClaimedSender,
        KeyPartnerId = refusal.KeyPartnerId,
        MessageId = refusal.MessageId,
        Status = refusal.Status,
        Reason = refusal.Reason,
    };
}
