using Cirt.Contracts.V1;
using Cirt.Server.Federation;

namespace Cirt.Server.Tests.Federation;

/// <summary>What the scanner takes for personal data in free text, and what it must leave alone.</summary>
public sealed class PersonalDataScannerTests
{
    private static readonly ListedIndicators Listed = ListedIndicators.Of(
    [
        new Observable { Type = ObservableType.IpAddress, Value = "203.0.113.9" },
        new Observable { Type = ObservableType.IpAddress, Value = "2001:db8::bad" },
        new Observable { Type = ObservableType.IpPrefix, Value = "198.51.100.0/24" },
        new Observable { Type = ObservableType.Url, Value = "http://198.51.100.23/dropper/stage2.bin" },
        new Observable { Type = ObservableType.Email, Value = "payroll@badactor.example" },
    ]);

    private static IReadOnlyList<PersonalDataMatch> Scan(string text) => PersonalDataScanner.Scan(text, Listed);

    // ----- e-mail addresses -----

    [Theory]
    [InlineData("jan.novak@gridco.example")]
    [InlineData("first.last+tag@sub.domain.example.org")]
    [InlineData("o'brien@hospital.example")]
    [InlineData("zoë.müller@krankenhaus.example")]
    public void AnEmailAddressIsFound(string address)
    {
        var match = Assert.Single(Scan($"Reported by {address}."));

        Assert.Equal((PersonalDataKind.EmailAddress, address, 12), (match.Kind, match.Value, match.Offset));
    }

    [Fact]
    public void AnEmailAddressListedAsAnIndicatorIsStillFound()
    {
        // Free text naming an address is what a coordinator looks at; the indicator itself leaves unchanged.
        Assert.Equal(PersonalDataKind.EmailAddress, Assert.Single(Scan("Mails came from payroll@badactor.example.")).Kind);
    }

    [Fact]
    public void OffsetsCountUtf16CodeUnitsAsTheTextIsShown()
    {
        var match = Assert.Single(Scan("🔥 Zpráva od jan@gridco.example"));

        Assert.Equal(13, match.Offset);
        Assert.Equal("jan@gridco.example", "🔥 Zpráva od jan@gridco.example".Substring(match.Offset, match.Length));
    }

    [Fact]
    public void DigitsOfAnEmailAddressAreNotAlsoAPhoneNumber()
    {
        var match = Assert.Single(Scan("Write to 0301234567@sms.example now."));

        Assert.Equal(PersonalDataKind.EmailAddress, match.Kind);
    }

    // ----- phone numbers -----

    [Theory]
    [InlineData("+33 1 23 45 67 89")]
    [InlineData("+49 (0)30 1234567")]
    [InlineData("+1 (555) 123-4567")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+420 601 234 567")]
    [InlineData("+4930123456789")]
    [InlineData("0049 30 1234567")]
    [InlineData("030 1234567")]
    [InlineData("030/1234567")]
    [InlineData("0171-1234567")]
    [InlineData("01.23.45.67.89")]
    [InlineData("(020) 7946 0958")]
    [InlineData("(555) 123-4567")]
    [InlineData("555-123-4567")]
    [InlineData("0301234567")]
    public void APhoneNumberIsFound(string number)
    {
        var match = Assert.Single(Scan($"Call {number} today."));

        Assert.Equal((PersonalDataKind.PhoneNumber, number, 5), (match.Kind, match.Value, match.Offset));
    }

    [Fact]
    public void APhoneNumberInBracketsIsFoundWithoutTheBrackets()
    {
        var match = Assert.Single(Scan("The duty officer (0301234567) answered."));

        Assert.Equal("0301234567", match.Value);
    }

    [Fact]
    public void APhoneNumberAfterADateIsFoundOnItsOwn()
    {
        var match = Assert.Single(Scan("On 2026-11-30 030 1234567 called the desk."));

        Assert.Equal(("030 1234567", 14), (match.Value, match.Offset));
    }

    [Fact]
    public void APhoneNumberAfterALabelIsFound()
    {
        Assert.Equal("+33123456789", Assert.Single(Scan("Tel:+33123456789")).Value);
    }

    [Theory]
    [InlineData("0301234")]
    [InlineData("+33 1 23")]
    [InlineData("+4930123456789012")]
    public void TooFewOrTooManyDigitsAreNoPhoneNumber(string number)
    {
        Assert.Empty(Scan($"Call {number} today."));
    }

    // ----- what is not personal data -----

    [Theory]
    [InlineData("CVE-2026-12345 is exploited.")]
    [InlineData("See CVE-2026-0123456 and CVE-2025-1234.")]
    [InlineData("Published 2026-11-30.")]
    [InlineData("Published 30.11.2026 and 01/12/2026 and 2026/12/01.")]
    [InlineData("Published 01.12.2026 at 08:00 UTC.")]
    [InlineData("Seen 2026-11-30T08:15:00Z in the logs.")]
    [InlineData("Update to version 10.4.2 or 10.4.10.")]
    [InlineData("Windows 10.0.19045.3803 is affected.")]
    [InlineData("Fixed in version 1.2.3.4 and v2.3.4.5.")]
    [InlineData("SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 matches.")]
    [InlineData("SHA-256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef matches.")]
    [InlineData("MD5 d41d8cd98f00b204e9800998ecf8427e and SHA-1 da39a3ee5e6b4b0d3255bfef95601890afd80709.")]
    [InlineData("Announced by AS64500 at 1732960000 (Unix time).")]
    [InlineData("Install KB5034441 and restart.")]
    [InlineData("CVSS 9.8, EPSS 0.97512345.")]
    [InlineData("OID 1.3.6.1.4.1.311.21.7 in the certificate.")]
    [InlineData("Between 12:30:45 and 13:00:00.")]
    [InlineData("Ticket #01234567 and https://tracker.example/issues/01234567 track it.")]
    [InlineData("MAC 00:1a:2b:3c:4d:5e of the gateway.")]
    [InlineData("Port 8443 and 65535.")]
    [InlineData("Firmware 01.02.03.04 is affected.")]
    [InlineData("Fixed in build 0123 4567 89.")]
    [InlineData("Use std::vector in C++.")]
    public void NothingIsFoundIn(string text)
    {
        Assert.Empty(Scan(text));
    }

    [Fact]
    public void AnIpAddressInsideAUrlListedAsAnIndicatorIsNotPersonalData()
    {
        Assert.Empty(Scan("The dropper fetched http://198.51.100.23/dropper/stage2.bin, see above."));
    }

    [Fact]
    public void AnIpAddressInsideAnUnlistedUrlIsPersonalData()
    {
        var match = Assert.Single(Scan("The victim's NAS answered at http://192.0.2.44:8080/admin."));

        Assert.Equal(("192.0.2.44", 36), (match.Value, match.Offset));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void AddressesThatNameNoHostAreNotPersonalData(string address)
    {
        Assert.Empty(Scan($"Bind the service to {address} only."));
    }

    // ----- IP addresses -----

    [Theory]
    [InlineData("192.0.2.44", "192.0.2.44")]
    [InlineData("2001:db8::44", "2001:db8::44")]
    [InlineData("2001:DB8:0:0:0:0:0:44", "2001:db8::44")]
    [InlineData("fe80::1", "fe80::1")]
    [InlineData("::ffff:192.0.2.44", "192.0.2.44")]
    [InlineData("192.0.2.0/25", "192.0.2.0/25")]
    [InlineData("2001:db8:44::/48", "2001:db8:44::/48")]
    public void AnUnlistedAddressIsFoundWithItsCanonicalForm(string written, string canonical)
    {
        var match = Assert.Single(Scan($"Host {written} is infected."));

        Assert.Equal((PersonalDataKind.IpAddress, written, 5, canonical), (match.Kind, match.Value, match.Offset, match.Canonical));
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("2001:db8::bad")]
    [InlineData("2001:DB8:0::BAD")]
    [InlineData("::ffff:203.0.113.9")]
    [InlineData("198.51.100.0/24")]
    public void AnAddressOrPrefixListedAsAnIndicatorIsNotPersonalData(string written)
    {
        Assert.Empty(Scan($"Block {written} at the perimeter."));
    }

    [Fact]
    public void AnAddressInsideAListedPrefixIsStillPersonalData()
    {
        // A listed range is not a statement about every host in it (victims live in hosters' blocks too).
        Assert.Equal("198.51.100.77", Assert.Single(Scan("Customer 198.51.100.77 was compromised.")).Value);
    }

    [Fact]
    public void AnAddressWithHostBitsAfterItsLengthIsThatHost()
    {
        var match = Assert.Single(Scan("Interface 192.0.2.44/24 is up."));

        Assert.Equal(("192.0.2.44/24", "192.0.2.44"), (match.Value, match.Canonical));
        Assert.Empty(Scan("Interface 203.0.113.9/24 is up."));
    }

    [Fact]
    public void EveryAddressOfARangeIsFound()
    {
        Assert.Equal(["192.0.2.1", "192.0.2.9"], Scan("Range 192.0.2.1-192.0.2.9 was scanned.").Select(m => m.Value));
    }

    [Fact]
    public void AnIpv6AddressEndingASentenceOrFollowedByAColonIsFoundWithoutThePunctuation()
    {
        Assert.Equal("2001:db8::44", Assert.Single(Scan("The host was 2001:db8::44.")).Value);
        Assert.Equal("2001:db8::44", Assert.Single(Scan("Host 2001:db8::44: compromised")).Value);
    }

    [Fact]
    public void AnAddressWithAPortIsFound()
    {
        Assert.Equal("192.0.2.44", Assert.Single(Scan("Connections to 192.0.2.44:3389 succeeded.")).Value);
    }

    [Fact]
    public void AnIpv4AddressEmbeddedInAnIpv6AddressIsFoundOnce()
    {
        var match = Assert.Single(Scan("Mapped ::ffff:192.0.2.44 seen."));

        Assert.Equal("::ffff:192.0.2.44", match.Value);
    }

    [Fact]
    public void AnIpv4AddressWithLeadingZerosIsNotReadAsAnotherAddress()
    {
        // 010.0.0.1 would be 8.0.0.1 in the legacy octal reading; it is not taken for an address.
        Assert.DoesNotContain(Scan("Legacy 010.0.0.1 notation."), m => m.Kind == PersonalDataKind.IpAddress);
    }

    [Fact]
    public void FindingsComeInTheOrderOfTheText()
    {
        var matches = Scan("Host 192.0.2.8, owner it@victim.example, phone +33 1 23 45 67 89, also 2001:db8::8.");

        Assert.Equal(
            [PersonalDataKind.IpAddress, PersonalDataKind.EmailAddress, PersonalDataKind.PhoneNumber, PersonalDataKind.IpAddress],
            matches.Select(m => m.Kind));
        Assert.True(matches.Zip(matches.Skip(1)).All(p => p.First.End <= p.Second.Offset));
    }

    [Fact]
    public void WithoutIndicatorsEveryAddressIsPersonalData()
    {
        Assert.Single(PersonalDataScanner.Scan("Block 203.0.113.9 at the perimeter.", ListedIndicators.None));
    }

    [Fact]
    public void MarkersAndPseudonymsAreNotPersonalData()
    {
        var text = $"Host {Pseudonyms.Of(new byte[32], "192.0.2.44")} and {Pseudonyms.Of(new byte[32], "2001:db8::1")}, [redacted e-mail], [redacted phone], [redacted IP].";

        Assert.Empty(PersonalDataScanner.Scan(text, ListedIndicators.None));
    }

    [Fact]
    public void AnEmptyTextHoldsNothing()
    {
        Assert.Empty(Scan(""));
    }

    [Fact]
    public void ALongTextWithoutPersonalDataIsScannedQuickly()
    {
        // Not a timing test: a pattern that backtracks badly would not finish at all.
        var text = string.Concat(Enumerable.Repeat("abc-1.2.3 0x1f:2e 9.8 ", 20_000)) + new string('1', 50_000) + "a";

        Assert.Empty(PersonalDataScanner.Scan(text, ListedIndicators.None));
    }
}
