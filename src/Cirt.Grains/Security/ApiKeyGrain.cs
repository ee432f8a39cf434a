using Cirt.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Security;

public sealed class ApiKeyGrain(
    [PersistentState("api-key", StorageNames.Cirt)] IPersistentState<ApiKeyState> state,
    CirtClock clock,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    private string KeyId => this.GetPrimaryKeyString();

    public async Task<ApiKeyInfo> IssueAsync(Principal principal, string secretHash, string actor)
    {
        if (state.State.Info is not null)
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"API key '{KeyId}' already exists.");
        }

        var info = new ApiKeyInfo(principal with { KeyId = KeyId }, clock.GetUtcNow(), actor, null, "");
        // Registry first: a key the registry lists but storage lacks is harmless; the reverse would be an unlisted key.
        await GrainFactory.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).RecordAsync(info);
        state.State.Info = info;
        state.State.SecretHash = secretHash;
        await state.WriteStateAsync();
        logger.LogInformation("API key {KeyId} issued by {Actor} to {Name} as {Role}", KeyId, actor, principal.Name, principal.Role);
        return info;
    }

    public Task<AuthenticationResult> AuthenticateAsync(string secret)
    {
        var result = state.State.Info switch
        {
            null => new AuthenticationResult(AuthenticationOutcome.UnknownKey, null),
            { IsRevoked: true } => new AuthenticationResult(AuthenticationOutcome.Revoked, null),
            { } info when ApiKeyToken.Matches(state.State.SecretHash, secret) => new AuthenticationResult(AuthenticationOutcome.Accepted, info.Principal),
            _ => new AuthenticationResult(AuthenticationOutcome.WrongSecret, null),
        };
        return Task.FromResult(result);
    }

    public async Task<ApiKeyInfo> RevokeAsync(string actor)
    {
        var info = state.State.Info ?? throw CirtException.NotFound("API key", KeyId);
        if (info.IsRevoked)
        {
            // Idempotent, and repairs a registry write lost after the revocation was stored.
            await GrainFactory.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).RecordAsync(info);
            return info;
        }

        var revoked = info with { RevokedAt = clock.GetUtcNow(), RevokedBy = actor };
        // The registry first: it refuses to revoke the last active coordinator key, one revocation at a time.
        await GrainFactory.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).RecordRevocationAsync(revoked);
        state.State.Info = revoked;
        await state.WriteStateAsync();
        logger.LogWarning("API key {KeyId} of {Name} revoked by {Actor}", KeyId, info.Principal.Name, actor);
        return revoked;
    }

    public Task<ApiKeyInfo?> GetAsync() => Task.FromResult(state.State.Info);
}
