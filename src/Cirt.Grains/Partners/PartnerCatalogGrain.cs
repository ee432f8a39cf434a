using Cirt.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Partners;

/// <summary>The ids of every partner ever registered, in ordinal order (a partner is never removed, only suspended).</summary>
public sealed class PartnerCatalogGrain(
    [PersistentState("partner-catalog", StorageNames.Cirt)] IPersistentState<PartnerCatalogState> state,
    ILogger<PartnerCatalogGrain> logger) : Grain, IPartnerCatalogGrain
{
    public Task<string[]> ListAsync() => Task.FromResult(state.State.Ids.ToArray());

    public async Task AddAsync(string partnerId)
    {
        var at = state.State.Ids.BinarySearch(partnerId, StringComparer.Ordinal);
        if (at >= 0)
        {
            return;
        }

        state.State.Ids.Insert(~at, partnerId);
        await state.WriteOrUndoAsync(
            this,
            undo: () => state.State.Ids.RemoveAt(~at),
            logNotStored: ex => logger.LogError(ex, "Partner catalog: partner {PartnerId} could not be added; nothing changed", partnerId),
            notStored: $"Partner {partnerId} could not be stored, so it was not registered. Try again shortly.");
    }
}
