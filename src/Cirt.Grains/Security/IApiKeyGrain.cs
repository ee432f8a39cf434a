namespace Cirt.Grains.Security;

/// <summary>One API key, keyed by its key id. The single source of truth: revocation applies to the next call.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Records a new key; only its secret's hash is kept.</summary>
    Task<ApiKeyInfo> IssueAsync(Principal principal, string secretHash, string actor);

    /// <summary>Checks a presented secret.</summary>
    Task<AuthenticationResult> AuthenticateAsync(string secret);

    /// <summary>Revokes the key for good; revoking twice changes nothing. The last active coordinator key is refused (FailedPrecondition).</summary>
    Task<ApiKeyInfo> RevokeAsync(string actor);

    Task<ApiKeyInfo?> GetAsync();
}
