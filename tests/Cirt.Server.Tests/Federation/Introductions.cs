using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>Cirt servers introduced to each other through the public API, and what they share.</summary>
public static class Introductions
{
    /// <summary>
    /// Introduces <paramref name="sender"/> to <paramref name="receiver"/>, which is all one-way sharing
    /// needs: the receiver registers the sender with its public key (it never calls the sender, so it
    /// holds no key of it) and issues it a partner key; the sender registers the receiver with the
    /// receiver's public key and that key. Both agreements go up to TLP:AMBER, advisories only.
    /// </summary>
    public static async Task OneWayAsync(ServerFixture sender, string senderId, string senderCountry, ServerFixture receiver, string receiverId, string receiverCountry)
    {
        var senderIdentity = await Partners(sender).GetLocalIdentityAsync(new GetLocalIdentityRequest());
        var receiverIdentity = await Partners(receiver).GetLocalIdentityAsync(new GetLocalIdentityRequest());
        Assert.Equal((senderId, receiverId), (senderIdentity.InstanceId, receiverIdentity.InstanceId));
        await Partners(receiver).RegisterPartnerAsync(Registration(senderId, senderCountry, sender.Address, senderIdentity.PublicKey, ""));
        var key = await receiver.IssueKeyAsync(senderId, Role.Partner, partnerId: senderId);
        await Partners(sender).RegisterPartnerAsync(Registration(receiverId, receiverCountry, receiver.Address, receiverIdentity.PublicKey, key));
    }

    public static PartnerService.PartnerServiceClient Partners(ServerFixture server) => new(server.Invoker(server.CoordinatorKey));

    /// <summary>
    /// <paramref name="server"/>'s copy of advisory <paramref name="itemId"/> of <paramref name="originId"/>,
    /// as its coordinator lists received advisories, once it arrived and <paramref name="done"/> holds.
    /// </summary>
    public static async Task<Advisory> ReceivedAsync(ServerFixture server, string originId, string itemId, Func<Advisory, bool>? done = null)
    {
        var list = await Eventually.ReadAsync(
            async () => await server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest { ReceivedOnly = true }),
            l => l.Advisories.Any(a => a.Origin.InstanceId == originId && a.Origin.ItemId == itemId && (done is null || done(a))),
            $"{itemId} of {originId} did not arrive (as expected) within 30 s");
        Assert.All(list.Advisories, a => Assert.NotNull(a.Origin));
        return list.Advisories.Single(a => a.Origin.InstanceId == originId && a.Origin.ItemId == itemId);
    }

    /// <summary>A VPN advisory for the energy sector (no personal data in it), shared with <paramref name="partners"/>.</summary>
    public static AdvisoryContent Vpn(Tlp tlp, params string[] partners) => new()
    {
        Title = "Actively exploited VPN appliance vulnerability",
        Summary = "Unauthenticated remote code execution in ExampleVPN 9.x; exploitation seen against grid operators.",
        AffectedProducts = { "ExampleVPN 9.0-9.4" },
        Cves = { new AffectedCve { CveId = "CVE-2026-12345", CvssScore = 9.8 } },
        RecommendedActions = { "Upgrade to 9.5" },
        Tlp = tlp,
        TargetSectors = { "ENERGY" },
        PartnerRecipients = { partners },
    };

    private static RegisterPartnerRequest Registration(string id, string country, string endpoint, string publicKey, string outboundKey) => new()
    {
        Id = id,
        Name = "CSIRT " + country,
        Country = country,
        EndpointUrl = endpoint,
        PublicKey = publicKey,
        OutboundApiKey = outboundKey,
        Agreement = new SharingAgreement
        {
            MaxTlp = Tlp.Amber,
            AllSectors = true,
            Kinds = { SharedItemKind.Advisory },
            Indicators = true,
            PersonalData = PersonalDataPolicy.None,
            LegalBasis = "Bilateral agreement under NIS2 Art. 10(7)",
            RetentionDays = 365,
        },
    };
}
