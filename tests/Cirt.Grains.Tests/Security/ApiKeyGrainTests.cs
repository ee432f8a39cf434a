using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Security;

[Collection(CirtClusterCollection.Name)]
public sealed class ApiKeyGrainTests(CirtClusterFixture cluster)
{
    private const string Coordinator = "carol";

    private static readonly Principal GridcoOperator = new("", "soc", Role.Operator, "gridco", "");

    private sealed record IssuedKey(string KeyId, string Secret, IApiKeyGrain Grain, ApiKeyInfo Info);

    private IApiKeyGrain Key(string keyId) => cluster.Grains.GetGrain<IApiKeyGrain>(keyId);

    private IKeyRegistryGrain Registry => cluster.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key);

    private static string SecretOf(string token) =>
        ApiKeyToken.TryParse(token, out _, out var secret) ? secret : throw new InvalidOperationException($"Not a token: {token}");

    private async Task<IssuedKey> IssueAsync(Principal? principal = null)
    {
        var (keyId, token, secretHash) = ApiKeyToken.Generate();
        var grain = Key(keyId);
        var info = await grain.IssueAsync(principal ?? GridcoOperator, secretHash, Coordinator);
        return new IssuedKey(keyId, SecretOf(token), grain, info);
    }

    private async Task<ApiKeyInfo?> ListedAsync(string keyId) =>
        (await Registry.ListAsync()).SingleOrDefault(k => k.Principal.KeyId == keyId);

    [Fact]
    public async Task IssuedKeyIsRecordedWithItsKeyIdWhoIssuedItAndNoRevocation()
    {
        var key = await IssueAsync();

        Assert.Equal(GridcoOperator with { KeyId = key.KeyId }, key.Info.Principal);
        Assert.Equal(Coordinator, key.Info.IssuedBy);
        Assert.False(key.Info.IsRevoked);
        Assert.Null(key.Info.RevokedAt);
        Assert.Equal(key.Info, await key.Grain.GetAsync());
    }

    [Fact]
    public async Task IssuedKeyAuthenticatesItsSecretAsItsPrincipalWithTheKeyIdFilledIn()
    {
        var key = await IssueAsync();

        var result = await key.Grain.AuthenticateAsync(key.Secret);

        Assert.Equal(AuthenticationOutcome.Accepted, result.Outcome);
        Assert.Equal(GridcoOperator with { KeyId = key.KeyId }, result.Principal);
        Assert.Equal("soc@gridco", result.Principal?.Actor);
    }

    [Fact]
    public async Task KeyPresentedWithAnotherKeysSecretIsRefusedAsWrongSecret()
    {
        var key = await IssueAsync();
        var other = await IssueAsync();

        var result = await key.Grain.AuthenticateAsync(other.Secret);

        Assert.Equal(new AuthenticationResult(AuthenticationOutcome.WrongSecret, null), result);
    }

    [Fact]
    public async Task KeyIdNeverIssuedIsRefusedAsUnknownKey()
    {
        var (keyId, token, _) = ApiKeyToken.Generate();

        var result = await Key(keyId).AuthenticateAsync(SecretOf(token));

        Assert.Equal(new AuthenticationResult(AuthenticationOutcome.UnknownKey, null), result);
        Assert.Null(await Key(keyId).GetAsync());
    }

    [Fact]
    public async Task RevokedKeyIsRefusedAsRevokedEvenWithTheRightSecret()
    {
        var key = await IssueAsync();

        var revoked = await key.Grain.RevokeAsync("dave");

        Assert.True(revoked.IsRevoked);
        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal("dave", revoked.RevokedBy);
        Assert.Equal((key.Info.Principal, key.Info.IssuedAt, key.Info.IssuedBy), (revoked.Principal, revoked.IssuedAt, revoked.IssuedBy));
        Assert.Equal(new AuthenticationResult(AuthenticationOutcome.Revoked, null), await key.Grain.AuthenticateAsync(key.Secret));
        Assert.Equal(revoked, await key.Grain.GetAsync());
    }

    [Fact]
    public async Task RevokingTwiceKeepsTheFirstRevocationsTimeAndActor()
    {
        var key = await IssueAsync();
        var first = await key.Grain.RevokeAsync("dave");

        var second = await key.Grain.RevokeAsync("erin");

        Assert.Equal(first, second);
        Assert.Equal("dave", second.RevokedBy);
        Assert.Equal(first.RevokedAt, (await key.Grain.GetAsync())?.RevokedAt);
        Assert.Equal(first, await ListedAsync(key.KeyId));
    }

    [Fact]
    public async Task IssuingAKeyIdAlreadyIssuedIsRefusedAndTheFirstSecretStillWorks()
    {
        var key = await IssueAsync();
        var (_, otherToken, otherHash) = ApiKeyToken.Generate();
        var coordinator = new Principal("", "mallory", Role.Coordinator, "", "");

        var refused = await Assert.ThrowsAsync<CirtException>(() => key.Grain.IssueAsync(coordinator, otherHash, "mallory"));

        Assert.Equal(CirtErrorKind.AlreadyExists, refused.Kind);
        Assert.Contains(key.KeyId, refused.Message, StringComparison.Ordinal);
        Assert.Equal(AuthenticationOutcome.Accepted, (await key.Grain.AuthenticateAsync(key.Secret)).Outcome);
        Assert.Equal(AuthenticationOutcome.WrongSecret, (await key.Grain.AuthenticateAsync(SecretOf(otherToken))).Outcome);
        Assert.Equal(key.Info, await key.Grain.GetAsync());
        Assert.Equal(key.Info, await ListedAsync(key.KeyId));
    }

    [Fact]
    public async Task RegistryListsAnIssuedKeyAsIssued()
    {
        var key = await IssueAsync(new Principal("", "ana", Role.Analyst, "", ""));

        var listed = await ListedAsync(key.KeyId);

        Assert.Equal(key.Info, listed);
        Assert.Equal("ana", listed?.Principal.Name);
        Assert.False(listed?.IsRevoked);
    }

    [Fact]
    public async Task RegistryShowsARevokedKeyAsRevokedByWhoRevokedIt()
    {
        var key = await IssueAsync();

        var revoked = await key.Grain.RevokeAsync("dave");

        var listed = await ListedAsync(key.KeyId);
        Assert.Equal(revoked, listed);
        Assert.True(listed?.IsRevoked);
        Assert.Equal("dave", listed?.RevokedBy);
    }

    [Fact]
    public async Task RegistryListsKeysInTheOrderTheyWereIssued()
    {
        var first = await IssueAsync();
        var second = await IssueAsync();

        var listed = (await Registry.ListAsync()).Select(k => k.Principal.KeyId).ToList();

        Assert.Contains(first.KeyId, listed);
        Assert.Contains(second.KeyId, listed);
        Assert.True(listed.IndexOf(first.KeyId) < listed.IndexOf(second.KeyId), "the earlier key is listed first");
    }

    [Fact]
    public async Task RevokingAKeyNeverIssuedIsRefusedAsNotFoundAndListsNothing()
    {
        var (keyId, _, _) = ApiKeyToken.Generate();

        var refused = await Assert.ThrowsAsync<CirtException>(() => Key(keyId).RevokeAsync("dave"));

        Assert.Equal(CirtErrorKind.NotFound, refused.Kind);
        Assert.Equal($"API key '{keyId}' was not found.", refused.Message);
        Assert.Null(await ListedAsync(keyId));
        Assert.Null(await Key(keyId).GetAsync());
    }
}
