using System.Security.Cryptography;
using Cirt.Contracts.V1;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Microsoft.Extensions.DependencyInjection;
using OutboxState = Cirt.Grains.Partners.OutboxState;
using SharedItemKind = Cirt.Grains.Partners.SharedItemKind;

namespace Cirt.Server.Tests.Federation;

/// <summary>Partners for the authorization matrix and the fuzz test: registered partners, their keys, and messages held in the outbox.</summary>
public static class MatrixPartner
{
    /// <summary>The partner whose key plays "a partner CIRT" in the security tests.</summary>
    public const string Id = "partner-cert-nl";

    public static string NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>A registration of a fresh partner that only reads our TAXII collection (nothing is delivered to it).</summary>
    public static RegisterPartnerRequest Registration(string? id = null) => new()
    {
        Id = id ?? "matrix-" + Guid.NewGuid().ToString("N")[..10], Name = "Matrix CIRT", Country = "NL", PublicKey = NewKey(), Agreement = Federations.Agreement(),
    };

    /// <summary>Registers a fresh partner as the coordinator; its id.</summary>
    public static async Task<string> RegisterAsync(ServerFixture server) =>
        (await server.Partners().RegisterPartnerAsync(Registration())).Partner.Id;

    /// <summary>A partner key of <see cref="Id"/>, registered first when it is not yet.</summary>
    public static async Task<string> KeyAsync(ServerFixture server)
    {
        var known = await server.Partners().ListPartnersAsync(new ListPartnersRequest());
        if (known.Partners.All(p => p.Id != Id))
        {
            try
            {
                await server.Partners().RegisterPartnerAsync(Registration(Id));
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.AlreadyExists)
            {
                // Registered meanwhile by a test running beside this one.
            }
        }

        return await server.IssueKeyAsync("partner-bot", Role.Partner, partnerId: Id);
    }

    /// <summary>A message held for approval in the server's outbox, for a fresh partner; its id.</summary>
    public static async Task<string> HeldMessageAsync(ServerFixture server)
    {
        var partnerId = await RegisterAsync(server);
        var payload = SignedJson.Canonical(new FederatedPayload
        {
            Origin = new Contracts.V1.ItemOrigin { InstanceId = "cirt-local", Country = "XX", ItemId = "ADV-2026-9999", ItemVersion = 1, Route = { "cirt-local" } },
            Kind = Contracts.V1.SharedItemKind.Advisory,
            Action = OutboxAction.Publish,
            Advisory = new SharedAdvisory { Title = "Held", Summary = "Write to [redacted e-mail]", Tlp = Tlp.Green },
        });
        var held = await server.Services.GetRequiredService<FederationStore>().EnqueueAsync(new NewOutboxMessage(
            partnerId, SharedItemKind.Advisory, "ADV-2026-9999", 1, ShareAction.Publish, "", OutboxState.Held, payload, SignedJson.Digest(payload),
            "[{\"field\":\"summary\",\"kind\":\"PERSONAL_DATA_KIND_EMAIL_ADDRESS\",\"match\":\"duty@example.nl\",\"offset\":9}]",
            DateTimeOffset.UtcNow, "matrix"));
        return held.MessageId;
    }
}
