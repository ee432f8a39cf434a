using System.Net;
using Cirt.Grains.Ingest;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Tests.Ingest;

/// <summary>Who owns an automated event: the longest matching IP prefix, else the AS, else the longest matching domain suffix.</summary>
public sealed class ConstituencyIndexTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static Stakeholder Owner(string id, string[]? prefixes = null, uint[]? asns = null, string[]? domains = null) => new(
        id, id, StakeholderType.EssentialServiceOperator, ["ENERGY"], "LU", Nis2EntityClass.Essential, [],
        new Constituency(prefixes ?? [], asns ?? [], domains ?? []), 1, At, At, "carol");

    private static string? Route(ConstituencyIndex index, string? ip, uint asn = 0, string fqdn = "") =>
        index.Route(ip is null ? null : IPAddress.Parse(ip), asn, fqdn);

    [Theory]
    [InlineData("10.1.2.3", "clinic")]         // inside the /24, the /16 and the /8: the /24 wins
    [InlineData("10.1.2.0", "clinic")]         // first address of the /24
    [InlineData("10.1.2.255", "clinic")]       // last address of the /24
    [InlineData("10.1.3.0", "hospital")]       // just past it: the /16
    [InlineData("10.1.255.255", "hospital")]   // last address of the /16
    [InlineData("10.2.0.0", "health-net")]     // just past it: the /8
    [InlineData("10.255.255.255", "health-net")]
    [InlineData("11.0.0.0", null)]             // just past the /8: nobody's
    [InlineData("9.255.255.255", null)]        // just before it
    public void TheLongestMatchingIpv4PrefixWins(string address, string? owner)
    {
        var index = new ConstituencyIndex(
        [
            Owner("health-net", prefixes: ["10.0.0.0/8"]),
            Owner("hospital", prefixes: ["10.1.0.0/16"]),
            Owner("clinic", prefixes: ["10.1.2.0/24"]),
        ]);

        Assert.Equal(owner, Route(index, address));
    }

    [Theory]
    [InlineData("2001:db8:100:1::5", "lab")]                               // the /64 inside the /40 inside the /32
    [InlineData("2001:db8:100:1:ffff:ffff:ffff:ffff", "lab")]              // last address of the /64
    [InlineData("2001:db8:100:2::", "campus")]                             // next /64: the /40
    [InlineData("2001:db8:1ff:ffff:ffff:ffff:ffff:ffff", "campus")]        // last address of the /40
    [InlineData("2001:db8:200::", "university")]                           // past it: the /32
    [InlineData("2001:db9::", null)]
    [InlineData("2001:DB8:0100:0001:0000:0000:0000:0005", "lab")]          // any spelling of the same address
    public void TheLongestMatchingIpv6PrefixWins(string address, string? owner)
    {
        var index = new ConstituencyIndex(
        [
            Owner("university", prefixes: ["2001:db8::/32"]),
            Owner("campus", prefixes: ["2001:db8:100::/40"]),
            Owner("lab", prefixes: ["2001:db8:100:1::/64"]),
        ]);

        Assert.Equal(owner, Route(index, address));
    }

    [Fact]
    public void Ipv4AndIpv6AreKeptApartEvenForPrefixesCoveringEverything()
    {
        var index = new ConstituencyIndex([Owner("v4-everything", prefixes: ["0.0.0.0/0"]), Owner("v6-everything", prefixes: ["::/0"])]);

        Assert.Equal("v4-everything", Route(index, "203.0.113.9"));
        Assert.Equal("v6-everything", Route(index, "2001:db8::9"));
    }

    [Fact]
    public void AHostRouteIsTheLongestPrefixOfAll()
    {
        var index = new ConstituencyIndex([Owner("isp", prefixes: ["0.0.0.0/0", "::/0"]), Owner("server", prefixes: ["192.0.2.7/32", "2001:db8::7/128"])]);

        Assert.Equal("server", Route(index, "192.0.2.7"));
        Assert.Equal("isp", Route(index, "192.0.2.8"));
        Assert.Equal("server", Route(index, "2001:db8::7"));
        Assert.Equal("isp", Route(index, "2001:db8::8"));
    }

    [Fact]
    public void TwoOwnersOfTheSamePrefixAsOrDomainResolveToTheSmallerIdWhateverTheOrder()
    {
        Stakeholder[] claims =
        [
            Owner("zeta", prefixes: ["192.0.2.0/24"], asns: [64500], domains: ["shared.example"]),
            Owner("alpha", prefixes: ["192.0.2.0/24"], asns: [64500], domains: ["shared.example"]),
        ];

        foreach (var order in new[] { claims, claims.Reverse().ToArray() })
        {
            var index = new ConstituencyIndex(order);
            Assert.Equal("alpha", Route(index, "192.0.2.1"));
            Assert.Equal("alpha", Route(index, null, 64500));
            Assert.Equal("alpha", Route(index, null, 0, "www.shared.example"));
        }
    }

    [Theory]
    [InlineData("gridco.example", "gridco")]                 // the domain itself
    [InlineData("scada.plant-2.gridco.example", "gridco")]   // any subdomain
    [InlineData("WWW.GridCo.Example.", "gridco")]            // case and the final dot do not matter
    [InlineData("notgridco.example", null)]                  // a suffix only at a label boundary
    [InlineData("gridco.example.org", null)]
    [InlineData("example", null)]
    [InlineData("mail.ops.gridco.example", "gridco-ops")]    // the longest registered suffix wins
    [InlineData("ops.gridco.example", "gridco-ops")]
    public void TheLongestMatchingDomainSuffixWins(string fqdn, string? owner)
    {
        var index = new ConstituencyIndex([Owner("gridco", domains: ["gridco.example"]), Owner("gridco-ops", domains: ["ops.gridco.example"])]);

        Assert.Equal(owner, Route(index, null, 0, fqdn));
    }

    [Theory]
    [InlineData("198.51.100.7", 64497u, "www.watershed.example", "gridco")]   // the address decides first
    [InlineData("203.0.113.1", 64497u, "www.watershed.example", "telco")]     // an address nobody owns: the AS
    [InlineData(null, 64497u, "www.watershed.example", "telco")]              // no address: the AS
    [InlineData("203.0.113.1", 64999u, "www.watershed.example", "watershed")] // nobody's AS: the domain
    [InlineData(null, 0u, "www.watershed.example", "watershed")]              // AS 0 means none
    [InlineData("203.0.113.1", 64999u, "www.nobody.example", null)]
    [InlineData(null, 0u, "", null)]
    public void AnAddressOutranksAnAsWhichOutranksADomain(string? ip, uint asn, string fqdn, string? owner)
    {
        var index = new ConstituencyIndex(
        [
            Owner("gridco", prefixes: ["198.51.100.0/25"]),
            Owner("telco", asns: [64497]),
            Owner("watershed", domains: ["watershed.example"]),
        ]);

        Assert.Equal(owner, Route(index, ip, asn, fqdn));
    }

    [Fact]
    public void PrefixesAreCountedOncePerOwnerAndTextThatIsNoPrefixIsLeftOut()
    {
        var index = new ConstituencyIndex(
        [
            Owner("a", prefixes: ["192.0.2.0/24", "2001:db8::/32", "not a prefix", "192.0.2.0/33"]),
            Owner("b", prefixes: ["198.51.100.0/24"]),
        ]);

        Assert.Equal(3, index.PrefixCount);
        Assert.Equal("a", Route(index, "2001:db8::1"));
    }

    [Fact]
    public void AnEmptyDirectoryOwnsNothing()
    {
        var index = new ConstituencyIndex([]);

        Assert.Equal(0, index.PrefixCount);
        Assert.Null(Route(index, "192.0.2.1", 64496, "www.example"));
    }
}
