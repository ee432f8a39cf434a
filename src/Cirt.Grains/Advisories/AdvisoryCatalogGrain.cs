using System.Globalization;
using Cirt.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Advisories;

public sealed class AdvisoryCatalogGrain(
    [PersistentState("advisory-catalog", StorageNames.Cirt)] IPersistentState<AdvisoryCatalogState> state,
    ILogger<AdvisoryCatalogGrain> logger) : Grain, IAdvisoryCatalogGrain
{
    public async Task<string> NextIdAsync(int year)
    {
        var previous = state.State.LastNumberByYear.GetValueOrDefault(year);
        var number = previous + 1;
        var id = string.Create(CultureInfo.InvariantCulture, $"ADV-{year:0000}-{number:0000}");
        state.State.LastNumberByYear[year] = number;
        state.State.Ids.Add(id);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Nothing allocated: the catalog stays as it was stored.
            state.State.Ids.RemoveAt(state.State.Ids.Count - 1);
            if (previous == 0)
            {
                state.State.LastNumberByYear.Remove(year);
            }
            else
            {
                state.State.LastNumberByYear[year] = previous;
            }

            DeactivateOnIdle();
            logger.LogError(ex, "Advisory catalog: id {AdvisoryId} could not be stored; nothing changed", id);
            throw new ChangeNotStoredException("The advisory could not be stored, so it was not created. Try again shortly.");
        }

        return id;
    }

    public Task<string[]> ListAsync() => Task.FromResult(state.State.Ids.ToArray());
}
