using System.Globalization;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

public sealed class ForeignIncidentGrain(
    [PersistentState("foreign-incident", StorageNames.Cirt)] IPersistentState<ForeignIncidentState> state,
    CirtClock clock) : Grain, IForeignIncidentGrain
{
    public static string KeyFor(string originInstanceId, string originItemId) => $"{originInstanceId}/{originItemId}";

    public async Task<Incident> ReceiveAsync(PartnerIncident shared, ItemOrigin origin)
    {
        if (state.State.TrackingId is null)
        {
            var year = clock.GetUtcNow().Year;
            var number = await GrainFactory.GetGrain<ITrackingNumberGrain>(year.ToString("D4", CultureInfo.InvariantCulture)).NextAsync();
            // The tracking id is stored before the incident exists: a resend after a crash opens the
            // same incident instead of a second one.
            state.State.TrackingId = TrackingIds.Format(year, number);
            await state.WriteStateAsync();
        }

        return await GrainFactory.GetGrain<IIncidentGrain>(state.State.TrackingId).ReceiveAsync(shared, origin);
    }

    public Task<string?> GetTrackingIdAsync() => Task.FromResult(state.State.TrackingId);
}
