using Cirt.Server.Federation;

namespace Cirt.Server.Tests.Federation;

/// <summary>Keyed IP pseudonyms: vectors computed independently (Python's hmac and an RFC 5869 HKDF checked against the RFC's test case 3).</summary>
public sealed class PseudonymsTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData("192.0.2.7", "ip-pseudonym:2eb3513ee0e06c25d4428a1ac8c0213e")]
    [InlineData("2001:db8::7", "ip-pseudonym:20b0d31fa2b8b8de8e90a04748a28d4e")]
    [InlineData("198.51.100.0/24", "ip-pseudonym:314e7592f2a41820ab3b063781837f08")]
    public void APseudonymIsTheTruncatedHmacOfTheCanonicalAddress(string address, string expected)
    {
        Assert.Equal(expected, Pseudonyms.Of(Key, address));
    }

    [Fact]
    public void AnotherKeyGivesAnotherPseudonym()
    {
        var otherKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        Assert.Equal("ip-pseudonym:2e4eb3f1249b4127ee93ba7ee3a23684", Pseudonyms.Of(otherKey, "192.0.2.7"));
    }

    [Fact]
    public void EachPartnerDerivesItsOwnKeyFromOneSecret()
    {
        var secret = Enumerable.Repeat((byte)0x2a, 32).ToArray();

        Assert.Equal("0fb7b905ddcac3926d0711ca384eff978cc91a21f9e82d063f697b6c90a0b763", Convert.ToHexStringLower(Pseudonyms.DeriveKey(secret, "cirt-de")));
        Assert.Equal("e0b15f882c1aad587e7aa166027cd3db89298212df58bd60cff56053c785f958", Convert.ToHexStringLower(Pseudonyms.DeriveKey(secret, "cirt-be")));
    }

    [Fact]
    public void KeysShortEnoughToGuessAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Pseudonyms.Of(new byte[15], "192.0.2.7"));
        Assert.Throws<ArgumentException>(() => Pseudonyms.DeriveKey(new byte[15], "cirt-de"));
    }
}
