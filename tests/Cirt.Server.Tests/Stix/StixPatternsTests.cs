using Cirt.Grains.Incidents;
using Cirt.Server.Stix;

namespace Cirt.Server.Tests.Stix;

/// <summary>STIX patterns written for our observables read back as the same observables; patterns that say more are not half read.</summary>
public sealed class StixPatternsTests
{
    public static TheoryData<ObservableType, string, string> Written() => new()
    {
        { ObservableType.IpAddress, "192.0.2.1", "[ipv4-addr:value = '192.0.2.1']" },
        { ObservableType.IpAddress, "2001:db8::1", "[ipv6-addr:value = '2001:db8::1']" },
        { ObservableType.IpPrefix, "10.0.0.0/8", "[ipv4-addr:value = '10.0.0.0/8']" },
        { ObservableType.Domain, "evil.example.test", "[domain-name:value = 'evil.example.test']" },
        { ObservableType.Url, "http://x.test/a'b\\c", "[url:value = 'http://x.test/a\\'b\\\\c']" },
        { ObservableType.Email, "a@b.test", "[email-addr:value = 'a@b.test']" },
        { ObservableType.FileHash, new string('a', 32), $"[file:hashes.'MD5' = '{new string('a', 32)}']" },
        { ObservableType.FileHash, new string('b', 40), $"[file:hashes.'SHA-1' = '{new string('b', 40)}']" },
        { ObservableType.FileHash, new string('c', 64), $"[file:hashes.'SHA-256' = '{new string('c', 64)}']" },
        { ObservableType.Asn, "AS64500", "[autonomous-system:number = 64500]" },
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void EachObservableIsWrittenAsOneEqualityAndReadBack(ObservableType type, string value, string pattern)
    {
        Assert.Equal(pattern, StixPatterns.For(new Observable(type, value, "")));

        var reading = StixPatterns.Read(pattern);

        Assert.Null(reading.Unsupported);
        var observable = Assert.Single(reading.Observables);
        Assert.Equal(type, observable.Type);
        Assert.Equal(value, observable.Value);
    }

    [Fact]
    public void ACveIdHasNoPattern()
    {
        Assert.Null(StixPatterns.For(new Observable(ObservableType.Cve, "CVE-2024-3400", "")));
    }

    [Theory]
    [InlineData("[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]", ObservableType.FileHash)]
    [InlineData("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", ObservableType.FileHash)]
    [InlineData("[file:hashes.'SHA1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", ObservableType.FileHash)]
    [InlineData("[ipv4-addr:value = '198.51.100.1/32']", ObservableType.IpPrefix)]
    [InlineData("[url:value='http://x.test/']", ObservableType.Url)]
    public void PatternsAsOtherToolsWriteThemAreRead(string pattern, ObservableType type)
    {
        var reading = StixPatterns.Read(pattern);

        Assert.Null(reading.Unsupported);
        Assert.Equal(type, Assert.Single(reading.Observables).Type);
    }

    [Fact]
    public void EqualitiesJoinedByOrAreEachAnIndicator()
    {
        var reading = StixPatterns.Read("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '203.0.113.33'] OR [domain-name:value = 'c2.example.test']");

        Assert.Null(reading.Unsupported);
        Assert.Equal(["198.51.100.1", "203.0.113.33", "c2.example.test"], reading.Observables.Select(o => o.Value));
    }

    [Theory]
    [InlineData("[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'c2.example.test']", "OR")]
    [InlineData("[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 443]", "']' expected")]
    [InlineData("[ipv4-addr:value != '198.51.100.1']", "only '=' comparisons")]
    [InlineData("[domain-name:value LIKE '%.example.test']", "only '=' comparisons")]
    [InlineData("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", "only '=' comparisons")]
    [InlineData("[file:name = 'invoice.pdf.exe']", "file:name is not one of the properties read")]
    [InlineData("[file:hashes.'SHA-512' = 'ab']", "file:hashes.SHA-512 is not one of the properties read")]
    [InlineData("[network-traffic:dst_ref.value = '198.51.100.1']", "network-traffic:dst_ref.value is not one")]
    [InlineData("[email-message:to_refs[*].value = 'a@b.test']", "list indexes")]
    [InlineData("[ipv4-addr:value = '198.51.100.1'] WITHIN 300 SECONDS", "OR")]
    [InlineData("[ipv4-addr:value = '198.51.100.1'] REPEATS 5 TIMES", "OR")]
    [InlineData("[file:size = 1024]", "file:size is not one")]
    [InlineData("[autonomous-system:number = '64500']", "autonomous-system:number is not one")]
    [InlineData("[ipv4-addr:value = '198.51.100.1'", "']' expected at the end")]
    [InlineData("[url:value = 'http://x.test/\\n']", "only \\' and \\\\ may be escaped")]
    [InlineData("[url:value = 'http://x.test/]", "does not end")]
    [InlineData("[artifact:payload_bin = b'aGVsbG8=']", "only string and integer constants")]
    [InlineData("", "'[' expected")]
    public void PatternsThatSayMoreThanEqualitiesAreNotRead(string pattern, string reason)
    {
        var reading = StixPatterns.Read(pattern);

        Assert.Empty(reading.Observables);
        Assert.Contains(reason, reading.Unsupported);
    }
}
