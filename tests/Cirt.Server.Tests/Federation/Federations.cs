using System.Globalization;
using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>Servers that exchange with partners, and introducing two of them through the public API only.</summary>
public static class Federations
{
    /// <summary>
    /// A server with its own instance id and country, delivering with timings short enough for tests
    /// (retries in 50 ms, the circuit open after 2 failures for 1 s, requeued within 1 s), listening on
    /// <paramref name="port"/> when given so that it comes back at the same address after a restart.
    /// </summary>
    public static ServerFixture Server(string instanceId, string country, int? port = null) => new()
    {
        ExtraArguments =
        [
            .. port is { } fixedPort ? new[] { "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{fixedPort}") } : [],
            "--Cirt:Federation:InstanceId", instanceId,
            "--Cirt:Federation:Country", country,
            "--Cirt:Federation:Delivery:AttemptTimeout", "00:00:02",
            "--Cirt:Federation:Delivery:Retries", "1",
            "--Cirt:Federation:Delivery:RetryDelay", "00:00:00.05",
            "--Cirt:Federation:Delivery:CircuitMinimumThroughput", "2",
            "--Cirt:Federation:Delivery:CircuitBreakDuration", "00:00:01",
            "--Cirt:Federation:Delivery:RequeueDelay", "00:00:00.2",
            "--Cirt:Federation:Delivery:MaxRequeueDelay", "00:00:01",
            "--Cirt:Federation:Delivery:SweepInterval", "00:00:01",
        ],
    };

    public static PartnerService.PartnerServiceClient Partners(this ServerFixture server, string? apiKey = null) => new(server.Invoker(apiKey ?? server.CoordinatorKey));

    public static FederationService.FederationServiceClient Federation(this ServerFixture server, string apiKey) => new(server.Invoker(apiKey));

    /// <summary>Advisories up to GREEN, every sector, indicators; no personal data.</summary>
    public static SharingAgreement Agreement(Tlp maxTlp = Tlp.Green) => new()
    {
        MaxTlp = maxTlp,
        AllSectors = true,
        Kinds = { SharedItemKind.Advisory },
        Indicators = true,
        PersonalData = PersonalDataPolicy.None,
        LegalBasis = "Memorandum of understanding between the national CIRTs, 2026, art. 3",
        RetentionDays = 365,
    };

    /// <summary>
    /// Introduces <paramref name="a"/> and <paramref name="b"/> as their coordinators would, through
    /// the public API only: each registers the other with its identity, each issues the other a
    /// partner key, and the first sets the key it received once the second has issued it.
    /// </summary>
    public static async Task IntroduceAsync(ServerFixture a, ServerFixture b, SharingAgreement? aToB = null, SharingAgreement? bToA = null)
    {
        var idA = await a.Partners().GetLocalIdentityAsync(new GetLocalIdentityRequest());
        var idB = await b.Partners().GetLocalIdentityAsync(new GetLocalIdentityRequest());
        await a.Partners().RegisterPartnerAsync(new RegisterPartnerRequest
        {
            Id = idB.InstanceId, Name = "CIRT " + idB.Country, Country = idB.Country, EndpointUrl = idB.EndpointUrl, PublicKey = idB.PublicKey,
            Agreement = aToB ?? Agreement(),
        });
        var keyForB = await a.IssueKeyAsync("cirt-server", Role.Partner, partnerId: idB.InstanceId);
        await b.Partners().RegisterPartnerAsync(new RegisterPartnerRequest
        {
            Id = idA.InstanceId, Name = "CIRT " + idA.Country, Country = idA.Country, EndpointUrl = idA.EndpointUrl, PublicKey = idA.PublicKey,
            OutboundApiKey = keyForB, Agreement = bToA ?? Agreement(),
        });
        var keyForA = await b.IssueKeyAsync("cirt-server", Role.Partner, partnerId: idA.InstanceId);
        await a.Partners().UpdatePartnerEndpointAsync(new UpdatePartnerEndpointRequest
        {
            PartnerId = idB.InstanceId, EndpointUrl = idB.EndpointUrl, OutboundApiKey = keyForA,
        });
    }
}
