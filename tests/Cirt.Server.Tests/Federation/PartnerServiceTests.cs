using System.Security.Cryptography;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Federation;

/// <summary>PartnerService over real gRPC: registering partners, their agreements, keys and status, and the partner keys issued for them.</summary>
[Collection(ServerCollection.Name)]
public sealed class PartnerServiceTests(ServerFixture server)
{
    private static string NewId() => "cirt-" + Guid.NewGuid().ToString("N")[..10];

    private static string NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static RegisterPartnerRequest Registration(string id, string? key = null) => new()
    {
        Id = id,
        Name = "CERT Example",
        Country = "DE",
        EndpointUrl = "https://cirt.example.de:5080",
        PublicKey = key ?? NewKey(),
        OutboundApiKey = "cirt_0123456789abcdef_secret-we-were-given",
        Agreement = Federations.Agreement(),
    };

    [Fact]
    public async Task ARegisteredPartnerIsShownWithItsKeyAndAgreementButNeverTheKeyWeCallItWith()
    {
        var id = NewId();
        var pem = NewKey();
        var registered = (await server.Partners().RegisterPartnerAsync(Registration(id, pem))).Partner;

        var shown = (await server.Partners(server.AnalystKey).GetPartnerAsync(new GetPartnerRequest { PartnerId = id })).Partner;
        var listed = (await server.Partners(server.AnalystKey).ListPartnersAsync(new ListPartnersRequest())).Partners;

        Assert.Equal(registered, shown);
        Assert.Contains(listed, p => p.Id == id);
        Assert.Equal((PartnerStatus.Active, 1L, "bootstrap", true), (shown.Status, shown.Version, shown.RegisteredBy, shown.HasOutboundKey));
        Assert.DoesNotContain("secret-we-were-given", shown.ToString());
        var key = Assert.Single(shown.Keys);
        using (var parsed = ECDsa.Create())
        {
            parsed.ImportFromPem(key.PublicKey);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(parsed.ExportSubjectPublicKeyInfo())), key.Fingerprint);
        }

        Assert.Null(key.ValidUntil);
        Assert.Equal(Federations.Agreement(), shown.Agreement);
        Assert.Equal((0L, 0L, 0L, 0L, CircuitState.Closed), (shown.Delivery.Queued, shown.Delivery.Held, shown.Delivery.Delivered, shown.Delivery.Failed, shown.Delivery.Circuit));
    }

    [Fact]
    public async Task EveryBadFieldOfARegistrationIsNamedAtOnce()
    {
        var request = new RegisterPartnerRequest
        {
            Id = "CIRT DE",
            Name = "",
            Country = "Germany",
            EndpointUrl = "ftp://cirt.example.de",
            PublicKey = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----",
            OutboundApiKey = "two words",
            Agreement = new SharingAgreement
            {
                MaxTlp = Tlp.Red, Sectors = { "energy" }, Kinds = { SharedItemKind.Unspecified }, LegalBasis = "", RetentionDays = 0,
            },
        };

        var fields = await RpcAssert.InvalidFields(() => server.Partners().RegisterPartnerAsync(request).ResponseAsync);

        Assert.Equal(
            ["agreement.kinds[0]", "agreement.legal_basis", "agreement.max_tlp", "agreement.retention_days", "agreement.sectors[0]",
             "country", "endpoint_url", "id", "name", "outbound_api_key", "public_key"],
            fields.Order(StringComparer.Ordinal));
        await RpcAssert.InvalidFields(() => server.Partners().RegisterPartnerAsync(Registration(NewId()).Also(r => r.Agreement = null)).ResponseAsync);
    }

    [Fact]
    public async Task ARegisteredIdIsAlreadyExistsAndAnUnknownSectorIsNotFound()
    {
        var id = NewId();
        await server.Partners().RegisterPartnerAsync(Registration(id));

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => server.Partners().RegisterPartnerAsync(Registration(id)).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Partners().RegisterPartnerAsync(Registration(NewId()).Also(r =>
        {
            r.Agreement.AllSectors = false;
            r.Agreement.Sectors.Add("NO_SUCH_SECTOR");
        })).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => server.Partners(server.AnalystKey).RegisterPartnerAsync(Registration(NewId())).ResponseAsync);
    }

    [Fact]
    public async Task AnAgreementIsReplacedOnlyAtTheVersionAskedFor()
    {
        var id = NewId();
        await server.Partners().RegisterPartnerAsync(Registration(id));
        var amber = Federations.Agreement(Tlp.Amber).Also(a => a.Kinds.Add(SharedItemKind.Incident));

        await RpcAssert.FailsWith(StatusCode.Aborted, () => server.Partners().UpdateAgreementAsync(new UpdateAgreementRequest { PartnerId = id, Agreement = amber, ExpectedVersion = 5 }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Partners().UpdateAgreementAsync(new UpdateAgreementRequest { PartnerId = NewId(), Agreement = amber }).ResponseAsync);
        Assert.Equal(["agreement.max_tlp"], await RpcAssert.InvalidFields(() =>
            server.Partners().UpdateAgreementAsync(new UpdateAgreementRequest { PartnerId = id, Agreement = amber.Also(a => a.MaxTlp = Tlp.AmberStrict) }).ResponseAsync));
        var updated = (await server.Partners().UpdateAgreementAsync(new UpdateAgreementRequest { PartnerId = id, Agreement = amber, ExpectedVersion = 1 })).Partner;

        Assert.Equal((2L, Tlp.Amber), (updated.Version, updated.Agreement.MaxTlp));
        Assert.Equal([SharedItemKind.Advisory, SharedItemKind.Incident], updated.Agreement.Kinds);
    }

    [Fact]
    public async Task TheEndpointAndTheKeyWeCallThePartnerWithAreSetLater()
    {
        var id = NewId();
        await server.Partners().RegisterPartnerAsync(Registration(id).Also(r => r.OutboundApiKey = ""));
        Assert.False((await server.Partners().GetPartnerAsync(new GetPartnerRequest { PartnerId = id })).Partner.HasOutboundKey);

        var set = (await server.Partners().UpdatePartnerEndpointAsync(new UpdatePartnerEndpointRequest
        {
            PartnerId = id, EndpointUrl = "http://127.0.0.1:1", OutboundApiKey = "cirt_key_they_issued", ExpectedVersion = 1,
        })).Partner;

        Assert.Equal(("http://127.0.0.1:1", true, 2L), (set.EndpointUrl, set.HasOutboundKey, set.Version));
        Assert.Equal(["endpoint_url"], await RpcAssert.InvalidFields(() =>
            server.Partners().UpdatePartnerEndpointAsync(new UpdatePartnerEndpointRequest { PartnerId = id, EndpointUrl = "cirt.example.de" }).ResponseAsync));
    }

    [Fact]
    public async Task SuspendingNeedsAReasonAndResumingClearsIt()
    {
        var id = NewId();
        await server.Partners().RegisterPartnerAsync(Registration(id));

        Assert.Equal(["reason"], await RpcAssert.InvalidFields(() => server.Partners().SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = id }).ResponseAsync));
        var suspended = (await server.Partners().SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = id, Reason = "Key compromise reported" })).Partner;
        var resumed = (await server.Partners().ResumePartnerAsync(new ResumePartnerRequest { PartnerId = id })).Partner;

        Assert.Equal((PartnerStatus.Suspended, "Key compromise reported"), (suspended.Status, suspended.SuspendReason));
        Assert.Equal((PartnerStatus.Active, "", 3L), (resumed.Status, resumed.SuspendReason, resumed.Version));
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Partners().ResumePartnerAsync(new ResumePartnerRequest { PartnerId = NewId() }).ResponseAsync);
    }

    [Fact]
    public async Task ANewKeyIsAddedBesideTheOldOneWhichStaysValidForTheOverlap()
    {
        var id = NewId();
        var first = NewKey();
        await server.Partners().RegisterPartnerAsync(Registration(id, first));
        var second = NewKey();

        Assert.Equal(["overlap_days"], await RpcAssert.InvalidFields(() =>
            server.Partners().AddPartnerKeyAsync(new AddPartnerKeyRequest { PartnerId = id, PublicKey = second, OverlapDays = 31 }).ResponseAsync));
        var rotated = (await server.Partners().AddPartnerKeyAsync(new AddPartnerKeyRequest { PartnerId = id, PublicKey = second, OverlapDays = 7 })).Partner;
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () =>
            server.Partners().AddPartnerKeyAsync(new AddPartnerKeyRequest { PartnerId = id, PublicKey = second, OverlapDays = 7 }).ResponseAsync);

        Assert.Equal(2, rotated.Keys.Count);
        var overlap = rotated.Keys[0].ValidUntil.ToDateTimeOffset() - rotated.Keys[1].AddedAt.ToDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(7), overlap);
        Assert.Null(rotated.Keys[1].ValidUntil);
    }

    [Fact]
    public async Task APartnerKeyIsIssuedOnlyForARegisteredPartnerThatIsNotSuspended()
    {
        var id = NewId();

        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.IssueKeyAsync("cirt-server", Role.Partner, partnerId: id));
        await server.Partners().RegisterPartnerAsync(Registration(id));
        var key = await server.IssueKeyAsync("cirt-server", Role.Partner, partnerId: id);
        await server.Partners().SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = id, Reason = "Audit" });
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => server.IssueKeyAsync("cirt-server-2", Role.Partner, partnerId: id));
        Assert.Equal(["partner_id"], await RpcAssert.InvalidFields(() => server.IssueKeyAsync("cirt-server", Role.Partner, partnerId: "Not An Id")));

        var whoAmI = (await server.Keys(key).WhoAmIAsync(new WhoAmIRequest())).Key;
        Assert.Equal((Role.Partner, id), (whoAmI.Role, whoAmI.PartnerId));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => server.Partners(key).GetPartnerAsync(new GetPartnerRequest { PartnerId = id }).ResponseAsync);
    }

    [Fact]
    public async Task OutboxCallsNameTheMessageTheyWant()
    {
        var unknown = Guid.NewGuid().ToString("D");

        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Partners(server.AnalystKey).GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = unknown }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Partners().ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = unknown }).ResponseAsync);
        Assert.Equal(["message_id"], await RpcAssert.InvalidFields(() => server.Partners().ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = "42" }).ResponseAsync));
        Assert.Equal(["page_token"], await RpcAssert.InvalidFields(() => server.Partners().ListOutboxAsync(new ListOutboxRequest { PageToken = "bogus" }).ResponseAsync));
        Assert.Equal(["page_size"], await RpcAssert.InvalidFields(() => server.Partners().ListEgressAsync(new ListEgressRequest { PageSize = 201 }).ResponseAsync));
        Assert.Equal(["state"], await RpcAssert.InvalidFields(() => server.Partners().ListOutboxAsync(new ListOutboxRequest { State = (OutboxState)42 }).ResponseAsync));
    }
}
