using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Security;

public sealed class ApiKeyTokenTests
{
    private const string WellFormed = "cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_";

    [Fact]
    public void GenerateGivesATokenOfPrefixHexKeyIdAndBase64UrlSecret()
    {
        var (keyId, token, _) = ApiKeyToken.Generate();

        Assert.Matches("^cirt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", token);
        Assert.StartsWith($"{ApiKeyToken.Prefix}{keyId}_", token, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSplitsAGeneratedTokenBackIntoItsKeyIdAndSecret()
    {
        var (keyId, token, _) = ApiKeyToken.Generate();

        Assert.True(ApiKeyToken.TryParse(token, out var parsedKeyId, out var secret));

        Assert.Equal(keyId, parsedKeyId);
        Assert.Equal(token, $"cirt_{parsedKeyId}_{secret}");
        Assert.Equal(43, secret.Length);
    }

    [Fact]
    public void HashOfTheParsedSecretIsTheHashGenerateReturned()
    {
        var (_, token, secretHash) = ApiKeyToken.Generate();
        Assert.True(ApiKeyToken.TryParse(token, out _, out var secret));

        Assert.Equal(secretHash, ApiKeyToken.Hash(secret));
        Assert.Matches("^[0-9a-f]{64}$", secretHash);
        Assert.DoesNotContain(secret, secretHash, StringComparison.Ordinal);
    }

    [Fact]
    public void HashIsSha256OfTheSecretInLowercaseHex() =>
        // SHA-256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyToken.Hash("abc"));

    [Fact]
    public void MatchesAcceptsTheRightSecretAndRefusesAnother()
    {
        var (_, token, secretHash) = ApiKeyToken.Generate();
        var (_, otherToken, _) = ApiKeyToken.Generate();
        Assert.True(ApiKeyToken.TryParse(token, out _, out var secret));
        Assert.True(ApiKeyToken.TryParse(otherToken, out _, out var otherSecret));

        Assert.True(ApiKeyToken.Matches(secretHash, secret));
        Assert.False(ApiKeyToken.Matches(secretHash, otherSecret));
        Assert.False(ApiKeyToken.Matches(secretHash, secret[..^1]));
        Assert.False(ApiKeyToken.Matches(secretHash, ""));
        Assert.False(ApiKeyToken.Matches(secretHash, secretHash));
    }

    [Fact]
    public void TryParseAcceptsAHandWrittenWellFormedToken()
    {
        Assert.True(ApiKeyToken.TryParse(WellFormed, out var keyId, out var secret));

        Assert.Equal("0123456789abcdef", keyId);
        Assert.Equal("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_", secret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cirx_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("CIRT_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-")]
    [InlineData("cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_x")]
    [InlineData("cirt_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("cirt_0123456789abcde_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("cirt_0123456789abcdefg_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_=")]
    [InlineData("cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO+/")]
    [InlineData("cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-__extra")]
    [InlineData("cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_ cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData(" cirt_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    [InlineData("cirt__abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO-_")]
    public void TryParseRefusesATokenOfTheWrongShapeAndLeavesBothPartsEmpty(string token)
    {
        Assert.False(ApiKeyToken.TryParse(token, out var keyId, out var secret));

        Assert.Equal("", keyId);
        Assert.Equal("", secret);
    }

    [Fact]
    public void TwoGeneratedTokensShareNeitherKeyIdNorSecretNorHash()
    {
        var first = ApiKeyToken.Generate();
        var second = ApiKeyToken.Generate();

        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.SecretHash, second.SecretHash);
        Assert.NotEqual(first.Token[^43..], second.Token[^43..]);
    }

    [Fact]
    public void GeneratedKeyIdIsAKeyId() =>
        Assert.True(ApiKeyToken.IsKeyId(ApiKeyToken.Generate().KeyId));

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("ffffffffffffffff", true)]
    [InlineData("0123456789ABCDEF", false)]
    [InlineData("0123456789abcde", false)]
    [InlineData("0123456789abcdef0", false)]
    [InlineData("0123456789abcdeg", false)]
    [InlineData("cirt_0123456789abcdef", false)]
    [InlineData(" 0123456789abcdef", false)]
    [InlineData("", false)]
    public void IsKeyIdAcceptsOnlySixteenLowercaseHexDigits(string candidate, bool expected) =>
        Assert.Equal(expected, ApiKeyToken.IsKeyId(candidate));
}
