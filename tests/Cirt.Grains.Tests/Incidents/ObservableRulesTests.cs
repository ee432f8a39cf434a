using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class ObservableRulesTests
{
    [Theory]
    [InlineData(ObservableType.IpAddress, "192.0.2.10", "192.0.2.10")]
    [InlineData(ObservableType.IpAddress, "  192.0.2.10 ", "192.0.2.10")]
    [InlineData(ObservableType.IpAddress, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData(ObservableType.IpAddress, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData(ObservableType.IpPrefix, "192.0.2.0/24", "192.0.2.0/24")]
    [InlineData(ObservableType.IpPrefix, "2001:DB8:0000::/32", "2001:db8::/32")]
    [InlineData(ObservableType.Domain, "WWW.Example.COM", "www.example.com")]
    [InlineData(ObservableType.Domain, "gridco.example.", "gridco.example")]
    [InlineData(ObservableType.Url, "HTTP://Phish.Example/login?next=%2Fbank", "http://phish.example/login?next=%2Fbank")]
    [InlineData(ObservableType.Email, "Billing@Phish.EXAMPLE", "Billing@phish.example")]
    [InlineData(ObservableType.FileHash, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(ObservableType.FileHash, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData(ObservableType.Asn, "as64500", "AS64500")]
    [InlineData(ObservableType.Asn, "64500", "AS64500")]
    [InlineData(ObservableType.Asn, "AS064500", "AS64500")]
    [InlineData(ObservableType.Cve, "cve-2024-3094", "CVE-2024-3094")]
    [InlineData(ObservableType.Cve, "CVE-2021-44228", "CVE-2021-44228")]
    public void ValueIsBroughtToItsCanonicalForm(ObservableType type, string raw, string canonical)
    {
        var (value, error) = ObservableRules.Normalise(type, raw);

        Assert.Null(error);
        Assert.Equal(canonical, value);
    }

    [Theory]
    [InlineData(ObservableType.IpAddress, "192.0.2.10/32", "'192.0.2.10/32' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpAddress, "192.0.2.256", "'192.0.2.256' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpAddress, "gridco.example", "'gridco.example' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpPrefix, "192.0.2.10/24", "'192.0.2.10/24' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set")]
    [InlineData(ObservableType.IpPrefix, "2001:db8::1/64", "'2001:db8::1/64' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set")]
    [InlineData(ObservableType.IpPrefix, "192.0.2.0", "'192.0.2.0' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set")]
    [InlineData(ObservableType.IpPrefix, "192.0.2.0/33", "'192.0.2.0/33' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set")]
    [InlineData(ObservableType.Domain, "localhost", "'localhost' is not a domain name")]
    [InlineData(ObservableType.Domain, "grid co.example", "'grid co.example' is not a domain name")]
    [InlineData(ObservableType.Domain, "-gridco.example", "'-gridco.example' is not a domain name")]
    [InlineData(ObservableType.Url, "javascript:alert(1)", "'javascript:alert(1)' is not an absolute http, https or ftp URL")]
    [InlineData(ObservableType.Url, "/login", "'/login' is not an absolute http, https or ftp URL")]
    [InlineData(ObservableType.Email, "Billing <billing@phish.example>", "'Billing <billing@phish.example>' is not an e-mail address")]
    [InlineData(ObservableType.FileHash, "d41d8cd98f00b204e9800998ecf8427", "'d41d8cd98f00b204e9800998ecf8427' is not a hexadecimal MD5, SHA-1 or SHA-256 digest")]
    [InlineData(ObservableType.FileHash, "z41d8cd98f00b204e9800998ecf8427e", "'z41d8cd98f00b204e9800998ecf8427e' is not a hexadecimal MD5, SHA-1 or SHA-256 digest")]
    [InlineData(ObservableType.Asn, "AS0", "'AS0' is not an autonomous system number")]
    [InlineData(ObservableType.Asn, "AS-1", "'AS-1' is not an autonomous system number")]
    [InlineData(ObservableType.Asn, "AS 64500", "'AS 64500' is not an autonomous system number")]
    [InlineData(ObservableType.Asn, "AS4294967296", "'AS4294967296' is not an autonomous system number")]
    [InlineData(ObservableType.Cve, "CVE-24-3094", "'CVE-24-3094' is not a CVE identifier (CVE-YYYY-NNNN)")]
    [InlineData(ObservableType.Cve, "CVE-2024-309", "'CVE-2024-309' is not a CVE identifier (CVE-YYYY-NNNN)")]
    [InlineData(ObservableType.Cve, "   ", "must not be empty")]
    [InlineData(ObservableType.IpAddress, "010.0.0.1", "'010.0.0.1' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpAddress, "10.1", "'10.1' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpAddress, "3221225985", "'3221225985' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpAddress, "fe80::1%eth0", "'fe80::1%eth0' is not an IPv4 or IPv6 address")]
    [InlineData(ObservableType.IpPrefix, "010.0.0.0/8", "'010.0.0.0/8' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set")]
    public void MalformedValueIsRefusedWithAMessageSayingWhatIsWrong(ObservableType type, string raw, string message)
    {
        var (value, error) = ObservableRules.Normalise(type, raw);

        Assert.Null(value);
        Assert.Equal(message, error);
    }

    [Fact]
    public void SameAddressWrittenTwoWaysNormalisesToOneValue()
    {
        var (longForm, _) = ObservableRules.Normalise(ObservableType.IpAddress, "2001:db8:0000:0000:0000:0000:0000:00a1");
        var (shortForm, _) = ObservableRules.Normalise(ObservableType.IpAddress, "2001:DB8::A1");

        Assert.Equal(longForm, shortForm);
    }

    [Theory]
    [InlineData("gridco.example", true)]
    [InlineData("mail.gridco.example", true)]
    [InlineData("_dmarc.gridco.example", true)]
    [InlineData("gridco", false)]
    [InlineData("gridco.", false)]
    [InlineData("gridco..example", false)]
    public void DomainNeedsAtLeastTwoValidLabels(string value, bool isDomain)
    {
        Assert.Equal(isDomain, ObservableRules.IsDomain(value));
    }
}
