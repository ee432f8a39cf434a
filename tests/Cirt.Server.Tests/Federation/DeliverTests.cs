using System.Security.Cryptography;
using Cirt.Contracts.V1;
using Cirt.Server.Federation;
using Google.Protobuf;
using Grpc.Core;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// FederationService/Deliver as partners reach it: a signed message from a registered partner is
/// applied once and acknowledged with a signed receipt; everything else is refused with its precise
/// status, and each refusal is listed by ListInboundRefusals.
/// </summary>
public sealed class DeliverTests(ReceivingServer receiving) : IClassFixture<ReceivingServer>
{
    private const string Us = ReceivingServer.InstanceId;
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    private ServerFixture Server => receiving.Server;

    private static string NewPartnerId() => "cirt-nl-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ASignedAdvisoryFromARegisteredPartnerIsAppliedAndAcknowledgedWithASignedReceipt()
    {
        using var partner = new TestPartner(NewPartnerId());
        await partner.RegisterAtAsync(Server);
        var itemId = "ADV-NL-" + Guid.NewGuid().ToString("N")[..6];
        var request = partner.Request(Us, partner.Advisory(itemId), sequence: 1);

        var response = await Server.Federation(partner.ApiKey).DeliverAsync(request);

        var identity = await Server.Partners().GetLocalIdentityAsync(new GetLocalIdentityRequest());
        Assert.False(response.Duplicate);
        Assert.Equal(identity.Fingerprint, response.KeyFingerprint);
        using (var ours = ECDsa.Create())
        {
            ours.ImportFromPem(identity.PublicKey);
            Assert.True(ours.VerifyData(Jcs.Canonicalize(response.Receipt), response.Signature.ToByteArray(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }

        var receipt = Parser.Parse<FederationReceipt>(response.Receipt);
        var envelope = Parser.Parse<FederationEnvelope>(request.Envelope);
        Assert.Equal((Us, partner.Id, envelope.MessageId, 1L, envelope.PayloadDigest),
            (receipt.Receiver, receipt.Sender, receipt.MessageId, receipt.Sequence, receipt.PayloadDigest));
        var received = Assert.Single(await ReceivedAsync(partner.Id));
        Assert.Equal(("Patch the VPN appliances", itemId, Tlp.Green), (received.Content.Title, received.Origin.ItemId, received.Content.Tlp));
    }

    [Fact]
    public async Task AResendIsAcknowledgedWithItsFirstReceiptAndAppliedOnce()
    {
        using var partner = new TestPartner(NewPartnerId());
        await partner.RegisterAtAsync(Server);
        var messageId = Guid.NewGuid().ToString("D");
        var payload = partner.Advisory("ADV-NL-0001");
        var first = await Server.Federation(partner.ApiKey).DeliverAsync(partner.Request(Us, payload, 1, messageId));
        var applied = Assert.Single(await ReceivedAsync(partner.Id));

        // The same message again, in a fresh envelope as a sender that never got the receipt makes it.
        var again = await Server.Federation(partner.ApiKey).DeliverAsync(partner.Request(Us, payload, 1, messageId));

        Assert.True(again.Duplicate);
        Assert.Equal((first.Receipt, first.Signature), (again.Receipt, again.Signature));
        Assert.Equal(applied.Version, Assert.Single(await ReceivedAsync(partner.Id)).Version);
    }

    [Fact]
    public async Task ANewerVersionReplacesTheCopyAndAnOlderOneChangesNothing()
    {
        using var partner = new TestPartner(NewPartnerId());
        await partner.RegisterAtAsync(Server);
        var federation = Server.Federation(partner.ApiKey);
        await federation.DeliverAsync(partner.Request(Us, partner.Advisory("ADV-NL-0002", version: 2, title: "Second edition"), 1));
        await federation.DeliverAsync(partner.Request(Us, partner.Advisory("ADV-NL-0002", version: 1, title: "First edition"), 2));

        var received = Assert.Single(await ReceivedAsync(partner.Id));

        Assert.Equal(("Second edition", 2L), (received.Content.Title, received.Origin.ItemVersion));
    }

    public static TheoryData<string, StatusCode> Refusals() => new()
    {
        { "unsigned", StatusCode.InvalidArgument },
        { "no envelope", StatusCode.InvalidArgument },
        { "envelope not JSON", StatusCode.InvalidArgument },
        { "tampered signature", StatusCode.Unauthenticated },
        { "tampered envelope", StatusCode.Unauthenticated },
        { "tampered payload", StatusCode.Unauthenticated },
        { "signed by a key not registered", StatusCode.Unauthenticated },
        { "unknown sender", StatusCode.PermissionDenied },
        { "sender is another partner than the key's", StatusCode.PermissionDenied },
        { "suspended sender", StatusCode.PermissionDenied },
        { "wrong recipient", StatusCode.PermissionDenied },
        { "above the agreement", StatusCode.PermissionDenied },
        { "kind not in the agreement", StatusCode.PermissionDenied },
        { "loop: it came from us", StatusCode.PermissionDenied },
        { "loop: it passed through us", StatusCode.PermissionDenied },
        { "TLP:RED", StatusCode.PermissionDenied },
        { "expired", StatusCode.FailedPrecondition },
        { "made in the future", StatusCode.FailedPrecondition },
        { "replayed id with another payload", StatusCode.AlreadyExists },
        { "old sequence", StatusCode.AlreadyExists },
        { "an advisory the receiver refuses", StatusCode.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task EachBadDeliveryIsRefusedWithItsStatusAndRecorded(string @case, StatusCode expected)
    {
        using var partner = new TestPartner(NewPartnerId());
        await partner.RegisterAtAsync(Server);
        var federation = Server.Federation(partner.ApiKey);
        var payload = partner.Advisory("ADV-NL-" + Guid.NewGuid().ToString("N")[..6]);
        var json = Formatter.Format(payload);
        var good = partner.Request(Us, payload, 5);
        var request = @case switch
        {
            "unsigned" => new DeliverRequest { Envelope = good.Envelope, Payload = good.Payload, KeyFingerprint = good.KeyFingerprint },
            "no envelope" => new DeliverRequest { Payload = good.Payload, Signature = good.Signature, KeyFingerprint = good.KeyFingerprint },
            "envelope not JSON" => partner.Signed(partner.Envelope(Us, json, 5), json).Also(r => r.Envelope = "{\"sender\": "),
            "tampered signature" => good.Also(r => r.Signature = Flip(r.Signature)),
            "tampered envelope" => good.Also(r => r.Envelope = r.Envelope.Replace("\"5\"", "\"6\"", StringComparison.Ordinal)),
            "tampered payload" => good.Also(r => r.Payload = r.Payload.Replace("Patch", "Ignore", StringComparison.Ordinal)),
            "signed by a key not registered" => SignedByAnotherKey(partner.Id, json),
            "unknown sender" => partner.Signed(partner.Envelope(Us, json, 5).Also(e => e.Sender = "cirt-nowhere"), json),
            "sender is another partner than the key's" => await FromAnotherRegisteredPartnerAsync(json),
            "suspended sender" => await SuspendedAsync(partner, good),
            "wrong recipient" => partner.Signed(partner.Envelope("cirt-de", json, 5), json),
            "above the agreement" => partner.Request(Us, partner.Advisory("ADV-NL-A", tlp: Tlp.Amber), 5),
            "kind not in the agreement" => partner.Request(Us, payload.Also(p =>
            {
                p.Kind = SharedItemKind.Incident;
                p.Incident = new SharedIncident { Title = "DDoS on two banks", RsitClass = "availability", RsitType = "ddos", Tlp = Tlp.Green, Severity = Severity.High };
            }), 5),
            "loop: it came from us" => partner.Request(Us, payload.Also(p => p.Origin = new ItemOrigin
            {
                InstanceId = Us, Country = "FR", ItemId = "ADV-2026-0001", ItemVersion = 2, Route = { Us, partner.Id }, Reshared = true,
            }), 5),
            "loop: it passed through us" => partner.Request(Us, payload.Also(p => p.Origin = new ItemOrigin
            {
                InstanceId = "cirt-be", Country = "BE", ItemId = "ADV-BE-1", ItemVersion = 1, Route = { "cirt-be", Us, partner.Id }, Reshared = true,
            }), 5),
            "TLP:RED" => partner.Request(Us, partner.Advisory("ADV-NL-R", tlp: Tlp.Red), 5),
            "expired" => partner.Signed(partner.Envelope(Us, json, 5, created: DateTimeOffset.UtcNow.AddMinutes(-20)), json),
            "made in the future" => partner.Signed(partner.Envelope(Us, json, 5, created: DateTimeOffset.UtcNow.AddHours(1)), json),
            "replayed id with another payload" => await AcceptedThenAsync(partner, good, r => partner.Request(Us, partner.Advisory("ADV-NL-X", title: "Other"), 6,
                Parser.Parse<FederationEnvelope>(r.Envelope).MessageId)),
            "old sequence" => await AcceptedThenAsync(partner, good, _ => partner.Request(Us, partner.Advisory("ADV-NL-Y"), 5)),
            "an advisory the receiver refuses" => partner.Request(Us, partner.Advisory("ADV-NL-T", title: new string('T', 5_000)), 5),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        var messageId = TryMessageId(request);

        var refused = await RpcAssert.FailsWith(expected, () => federation.DeliverAsync(request).ResponseAsync);

        var refusals = (await Server.Partners().ListInboundRefusalsAsync(new ListInboundRefusalsRequest { PageSize = 200 })).Refusals;
        var recorded = refusals.FirstOrDefault(r => r.KeyPartnerId == partner.Id && r.MessageId == messageId);
        Assert.True(recorded is not null, $"{@case}: no refusal recorded ({refused.Status.Detail})");
        Assert.Equal(DeliveryLane.Describe(expected), recorded.Status);
        Assert.Equal(refused.Status.Detail, recorded.Reason);
        if (@case is not ("replayed id with another payload" or "old sequence"))
        {
            Assert.Empty(await ReceivedAsync(partner.Id));
        }
    }

    [Fact]
    public async Task TwoDeliveriesWithTheSameSequenceAtOnceAreAcceptedOnce()
    {
        using var partner = new TestPartner(NewPartnerId());
        await partner.RegisterAtAsync(Server);
        var federation = Server.Federation(partner.ApiKey);
        var requests = Enumerable.Range(0, 6).Select(i => partner.Request(Us, partner.Advisory($"ADV-NL-C{i}"), 1)).ToArray();

        var outcomes = await Task.WhenAll(requests.Select(r => RpcAssert.StatusOf(() => federation.DeliverAsync(r).ResponseAsync)));

        Assert.Single(outcomes, o => o.StatusCode == StatusCode.OK);
        Assert.All(outcomes.Where(o => o.StatusCode != StatusCode.OK), o => Assert.Equal(StatusCode.AlreadyExists, o.StatusCode));
        Assert.Single(await ReceivedAsync(partner.Id));
    }

    [Fact]
    public async Task AnOldKeyVerifiesOnlyWithinItsOverlap()
    {
        using var old = new TestPartner(NewPartnerId());
        using var rotated = new TestPartner(old.Id);
        await old.RegisterAtAsync(Server);
        var before = old.Request(Us, old.Advisory("ADV-NL-K1"), 1);
        await Server.Partners().AddPartnerKeyAsync(new AddPartnerKeyRequest { PartnerId = old.Id, PublicKey = rotated.PublicKeyPem, OverlapDays = 0 });

        await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => Server.Federation(old.ApiKey).DeliverAsync(before).ResponseAsync);
        var after = await Server.Federation(old.ApiKey).DeliverAsync(rotated.Request(Us, rotated.Advisory("ADV-NL-K2"), 2));

        Assert.False(after.Duplicate);
    }

    [Fact]
    public async Task TheFederationEndpointTakesPartnerKeysOnlyAndAPartnerKeyReachesNothingElse()
    {
        using var partner = new TestPartner(NewPartnerId());
        await partner.RegisterAtAsync(Server);
        var request = partner.Request(Us, partner.Advisory("ADV-NL-P"), 1);

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Server.Federation(Server.CoordinatorKey).DeliverAsync(request).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => Server.Federation("").DeliverAsync(request).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Server.Partners(partner.ApiKey).ListPartnersAsync(new ListPartnersRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Server.Advisories(partner.ApiKey).ListAdvisoriesAsync(new ListAdvisoriesRequest()).ResponseAsync);
    }

    /// <summary>The advisories received from <paramref name="partnerId"/>, as CIRT staff list them.</summary>
    private async Task<Advisory[]> ReceivedAsync(string partnerId) =>
        (await Server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest { ReceivedOnly = true })).Advisories
        .Where(a => a.Origin?.InstanceId == partnerId).ToArray();

    private static ByteString Flip(ByteString signature)
    {
        var bytes = signature.ToByteArray();
        bytes[10] ^= 0x01;
        return ByteString.CopyFrom(bytes);
    }

    private static string TryMessageId(DeliverRequest request)
    {
        try
        {
            return Parser.Parse<FederationEnvelope>(request.Envelope).MessageId;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
        {
            return "";
        }
    }

    private static DeliverRequest SignedByAnotherKey(string partnerId, string json)
    {
        using var impostor = new TestPartner(partnerId);
        return impostor.Signed(impostor.Envelope(Us, json, 5), json);
    }

    /// <summary>A message claiming to come from another registered partner, signed with that partner's key, sent with this partner's API key.</summary>
    private async Task<DeliverRequest> FromAnotherRegisteredPartnerAsync(string json)
    {
        using var other = new TestPartner(NewPartnerId());
        await other.RegisterAtAsync(Server);
        return other.Signed(other.Envelope(Us, json, 5), json);
    }

    private async Task<DeliverRequest> SuspendedAsync(TestPartner partner, DeliverRequest request)
    {
        await Server.Partners().SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = partner.Id, Reason = "Their signing key was reported stolen" });
        return request;
    }

    /// <summary>Delivers <paramref name="first"/> (accepted), then returns the request <paramref name="next"/> makes of it.</summary>
    private async Task<DeliverRequest> AcceptedThenAsync(TestPartner partner, DeliverRequest first, Func<DeliverRequest, DeliverRequest> next)
    {
        await Server.Federation(partner.ApiKey).DeliverAsync(first);
        return next(first);
    }
}
