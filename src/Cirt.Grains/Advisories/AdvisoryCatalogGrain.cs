using System.Globalization;
using Cirt.Grains.Common;

namespace Cirt.Grains.Advisories;

public sealed class AdvisoryCatalogGrain(
    [PersistentState("advisory-catalog", StorageNames.Cirt)] IPersistentState<AdvisoryCatalogState> state) : Grain, IAdvisoryCatalogGrain
{
    public async Task<string> NextIdAsync(int year)
    {
        var number = state.State.LastNumberByYear.GetValueOrDefault(year) + 1;
        state.State.LastNumberByYear[year] = number;
        var id = string.Create(CultureInfo.InvariantCulture, $"ADV-{year:0000}-{number:0000}");
        state.State.Ids.Add(id);
        await state.WriteStateAsync();
        return id;
    }

    public Task<string[]> ListAsync() => Task.FromResult(state.State.Ids.ToArray());
}
