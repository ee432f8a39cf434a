using Cirt.Grains.Common;

namespace Cirt.Grains.Sectors;

public sealed class SectorCatalogGrain(
    [PersistentState("sector-catalog", StorageNames.Cirt)] IPersistentState<SectorCatalogState> state) : Grain, ISectorCatalogGrain
{
    public async Task AddAsync(string code)
    {
        if (state.State.Codes.Add(code))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string[]> ListAsync() => Task.FromResult<string[]>(state.State.Codes.ToArray());
}
