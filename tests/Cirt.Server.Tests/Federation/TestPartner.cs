using System.Security.Cryptography;
using Cirt.Contracts.V1;
using Cirt.Server.Federation;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// A partner CIRT played by the test: its own ECDSA P-256 key pair, registered at a server through
/// the public API with a partner key, writing and signing its deliveries by hand so that each can be
/// tampered with.
/// </summary>
public sealed class TestPartner : IDisposable
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPartner(string id, string country = "NL")
    {
        Id = id;
        Country = country;
    }

    public string Id { get; }

    public string Country { get; }

    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex, as partner.proto defines it.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));

    /// <summary>The partner key the server issued it.</summary>
    public string ApiKey { get; private set; } = "";

    /// <summary>Registers this partner at <paramref name="server"/> and gets a partner key there.</summary>
    public async Task<Partner> RegisterAtAsync(ServerFixture server, SharingAgreement? agreement = null)
    {
        var registered = await server.Partners().RegisterPartnerAsync(new RegisterPartnerRequest
        {
            Id = Id, Name = "Test CIRT " + Id, Country = Country, PublicKey = PublicKeyPem, Agreement = agreement ?? Federations.Agreement(),
        });
        ApiKey = await server.IssueKeyAsync("cirt-server", Role.Partner, partnerId: Id);
        return registered.Partner;
    }

    /// <summary>A GREEN advisory of ours (this partner is its origin), version <paramref name="version"/>.</summary>
    public FederatedPayload Advisory(string itemId, long version = 1, Tlp tlp = Tlp.Green, string title = "Patch the VPN appliances") => new()
    {
        Origin = new ItemOrigin { InstanceId = Id, Country = Country, ItemId = itemId, ItemVersion = version, Route = { Id } },
        Kind = SharedItemKind.Advisory,
        Action = OutboxAction.Publish,
        Advisory = new SharedAdvisory
        {
            Title = title,
            Summary = "Unauthenticated remote code execution in ExampleVPN 9.x, exploited since Monday.",
            Tlp = tlp,
            Sectors = { "ENERGY" },
            RecommendedActions = { "Upgrade to 9.5" },
            PublishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        },
    };

    /// <summary>The envelope for <paramref name="payloadJson"/>, made now and valid for ten minutes unless told otherwise.</summary>
    public FederationEnvelope Envelope(string recipient, string payloadJson, long sequence, string? messageId = null, DateTimeOffset? created = null, TimeSpan? lifetime = null)
    {
        var at = created ?? DateTimeOffset.UtcNow;
        return new FederationEnvelope
        {
            Sender = Id,
            Recipient = recipient,
            MessageId = messageId ?? Guid.NewGuid().ToString("D"),
            Sequence = sequence,
            Created = Timestamp.FromDateTimeOffset(at),
            Expires = Timestamp.FromDateTimeOffset(at + (lifetime ?? TimeSpan.FromMinutes(10))),
            PayloadDigest = SignedJson.Digest(payloadJson),
        };
    }

    /// <summary>A signed delivery of <paramref name="payload"/>, as a well-behaved partner makes it.</summary>
    public DeliverRequest Request(string recipient, FederatedPayload payload, long sequence, string? messageId = null) =>
        Signed(Envelope(recipient, Formatter.Format(payload), sequence, messageId), Formatter.Format(payload));

    /// <summary>Signs <paramref name="envelope"/>'s canonical JSON and carries <paramref name="payloadJson"/> with it.</summary>
    public DeliverRequest Signed(FederationEnvelope envelope, string payloadJson)
    {
        var envelopeJson = Formatter.Format(envelope);
        return new DeliverRequest
        {
            Envelope = envelopeJson,
            Payload = payloadJson,
            Signature = ByteString.CopyFrom(_key.SignData(Jcs.Canonicalize(envelopeJson), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            KeyFingerprint = Fingerprint,
        };
    }

    public void Dispose() => _key.Dispose();
}
