using System.Globalization;
using Cirt.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Advisories;

public sealed class AdvisoryCatalogGrain(
    [PersistentState("advisory-catalog", StorageNames.Cirt)] IPersistentState<AdvisoryCatalogState> state,
    ILogger<AdvisoryCatalogGrain> logger) : Grain, IAdvisoryCatalogGrain
{
    /// <summary>The received advisories by origin key, as stored: found in one look.</summary>
    private readonly Dictionary<string, string> _received = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A catalog stored before advisories were received reads back without that list.
        state.State.Received ??= [];
        foreach (var (key, id) in state.State.Received)
        {
            _received[key] = id;
        }

        return Task.CompletedTask;
    }

    public Task<string> NextIdAsync(int year) => AllocateAsync(year, received: null);

    public Task<string[]> ListAsync() => Task.FromResult(state.State.Ids.ToArray());

    public Task<string> ReceivedIdAsync(string originInstanceId, string originItemId, int year)
    {
        var key = $"{originInstanceId}/{originItemId}";
        return _received.TryGetValue(key, out var id) ? Task.FromResult(id) : AllocateAsync(year, key);
    }

    public Task<string[]> ListReceivedAsync() => Task.FromResult(state.State.Received.Select(r => r.Value).ToArray());

    /// <summary>Allocates the next id of <paramref name="year"/>, for the received advisory <paramref name="received"/> when given, in one write.</summary>
    private async Task<string> AllocateAsync(int year, string? received)
    {
        var previous = state.State.LastNumberByYear.GetValueOrDefault(year);
        var number = previous + 1;
        var id = string.Create(CultureInfo.InvariantCulture, $"ADV-{year:0000}-{number:0000}");
        state.State.LastNumberByYear[year] = number;
        state.State.Ids.Add(id);
        if (received is not null)
        {
            state.State.Received.Add(new(received, id));
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Nothing allocated: the catalog stays as it was stored.
            state.State.Ids.RemoveAt(state.State.Ids.Count - 1);
            if (received is not null)
            {
                state.State.Received.RemoveAt(state.State.Received.Count - 1);
            }

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

        if (received is not null)
        {
            _received[received] = id;
        }

        return id;
    }
}
