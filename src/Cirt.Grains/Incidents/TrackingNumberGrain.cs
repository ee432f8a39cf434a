using Cirt.Grains.Common;

namespace Cirt.Grains.Incidents;

public sealed class TrackingNumberGrain(
    [PersistentState("tracking-number", StorageNames.Cirt)] IPersistentState<TrackingNumberState> state) : Grain, ITrackingNumberGrain
{
    public async Task<long> NextAsync()
    {
        state.State.Last++;
        await state.WriteStateAsync();
        return state.State.Last;
    }
}
