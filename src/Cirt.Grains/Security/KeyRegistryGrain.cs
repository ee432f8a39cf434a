using Cirt.Grains.Common;

namespace Cirt.Grains.Security;

public sealed class KeyRegistryGrain(
    [PersistentState("key-registry", StorageNames.Cirt)] IPersistentState<KeyRegistryState> state) : Grain, IKeyRegistryGrain
{
    public async Task RecordAsync(ApiKeyInfo info)
    {
        state.State.Keys[info.Principal.KeyId] = info;
        await state.WriteStateAsync();
    }

    public async Task RecordRevocationAsync(ApiKeyInfo revoked)
    {
        LastCoordinatorRule.EnsureRevocable(state.State.Keys.Values, revoked.Principal.KeyId);
        await RecordAsync(revoked);
    }

    public Task<ApiKeyInfo[]> ListAsync() =>
        Task.FromResult(state.State.Keys.Values.OrderBy(k => k.IssuedAt).ToArray());
}
