using System.Collections.Concurrent;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// A partner's FederationService on loopback, as small as a partner can be: it takes every delivery,
/// stores each message id once (a resend gets its first receipt, as a Cirt partner answers), signs
/// receipts with a key of its own, and records every call in the order it came, with the sequence
/// the envelope carried.
/// </summary>
public sealed class FakePartnerEndpoint : Proto.FederationService.FederationServiceBase, IAsyncDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly ConcurrentDictionary<string, Proto.DeliverResponse> _stored = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string MessageId, long Sequence)> _calls = new();
    private readonly ConcurrentQueue<(string MessageId, long Sequence)> _accepted = new();
    private readonly Lock _gate = new();
    private WebApplication? _app;

    private FakePartnerEndpoint(string instanceId) =>
        Identity = FederationIdentity.CreateInMemory(new FederationOptions { InstanceId = instanceId, Country = "DE" });

    /// <summary>The partner's identity: its instance id and the key its receipts are signed with.</summary>
    public FederationIdentity Identity { get; }

    public string Url => _app!.Urls.Single();

    /// <summary>Every call, in the order received (resends included).</summary>
    public IReadOnlyList<(string MessageId, long Sequence)> Calls => [.. _calls];

    /// <summary>The messages stored, each once, in the order first received.</summary>
    public IReadOnlyList<(string MessageId, long Sequence)> Accepted => [.. _accepted];

    public static async Task<FakePartnerEndpoint> StartAsync(string instanceId)
    {
        var endpoint = new FakePartnerEndpoint(instanceId);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(endpoint);
        endpoint._app = builder.Build();
        endpoint._app.MapGrpcService<FakePartnerEndpoint>();
        await endpoint._app.StartAsync();
        return endpoint;
    }

    /// <summary>The partner as our coordinators registered it: this endpoint, its key, active.</summary>
    public Partner Registration(DateTimeOffset at) => new(
        Identity.InstanceId, "CERT-Bund", "DE", Url,
        [new PartnerKey(Identity.PublicKeyPem, Identity.Fingerprint, at, null)],
        new SharingAgreement(Grains.Incidents.Tlp.Amber, [], true, [SharedItemKind.Advisory], true, false, PersonalDataPolicy.None, "Agreement", 365),
        PartnerStatus.Active, 1, at, "coordinator-1", at, "coordinator-1", "", "outbound-key");

    public override Task<Proto.DeliverResponse> Deliver(Proto.DeliverRequest request, ServerCallContext context)
    {
        var envelope = Parser.Parse<Proto.FederationEnvelope>(request.Envelope);
        _calls.Enqueue((envelope.MessageId, envelope.Sequence));
        lock (_gate)
        {
            if (_stored.TryGetValue(envelope.MessageId, out var first))
            {
                return Task.FromResult(new Proto.DeliverResponse(first) { Duplicate = true });
            }

            var receipt = SignedJson.Canonical(new Proto.FederationReceipt
            {
                Receiver = Identity.InstanceId,
                Sender = envelope.Sender,
                MessageId = envelope.MessageId,
                Sequence = envelope.Sequence,
                PayloadDigest = envelope.PayloadDigest,
                ReceivedAt = Cirt.Server.Api.CommonMapping.ToProto(DateTimeOffset.UtcNow),
            });
            var response = new Proto.DeliverResponse
            {
                Receipt = receipt, Signature = ByteString.CopyFrom(Identity.Sign(Jcs.Canonicalize(receipt))), KeyFingerprint = Identity.Fingerprint,
            };
            _stored[envelope.MessageId] = response;
            _accepted.Enqueue((envelope.MessageId, envelope.Sequence));
            return Task.FromResult(response);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Identity.Dispose();
    }
}
