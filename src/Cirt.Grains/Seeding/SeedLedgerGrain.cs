using Cirt.Grains.Common;

namespace Cirt.Grains.Seeding;

public sealed class SeedLedgerGrain(
    [PersistentState("seed-ledger", StorageNames.Cirt)] IPersistentState<SeedLedgerState> state) : Grain, ISeedLedgerGrain
{
    public Task<IReadOnlySet<string>> GetAppliedAsync() =>
        Task.FromResult<IReadOnlySet<string>>(state.State.Applied.ToHashSet(StringComparer.Ordinal));

    public async Task MarkAppliedAsync(string entryKey)
    {
        if (state.State.Applied.Add(entryKey))
        {
            await state.WriteStateAsync();
        }
    }
}
