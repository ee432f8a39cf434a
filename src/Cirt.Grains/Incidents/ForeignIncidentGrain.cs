using System.Globalization;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

public sealed class ForeignIncidentGrain(
    [PersistentState("foreign-incident", StorageNames.Cirt)] IPersistentState<ForeignIncidentState> state,
    CirtClock clock) : Grain, IForeignIncidentGrain
{
    /// <summary>The most notes and status changes kept for an incident that has not arrived.</summary>
    public const int MaxEarly = 100;

    private string OriginInstanceId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal)];

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

        var incident = await Incident.ReceiveAsync(shared, origin);
        if (!state.State.Opened)
        {
            // Recorded once each (by id) however often this runs, so a crash before the list is cleared does no harm.
            foreach (var followUp in state.State.Early)
            {
                incident = await Incident.ReceiveFollowUpAsync(OriginInstanceId, followUp);
            }

            state.State.Early.Clear();
            state.State.Opened = true;
            await state.WriteStateAsync();
        }

        return incident;
    }

    public async Task<Incident?> ReceiveFollowUpAsync(IncidentFollowUp followUp)
    {
        if (state.State.Opened)
        {
            return await Incident.ReceiveFollowUpAsync(OriginInstanceId, followUp);
        }

        if (state.State.Early.Any(e => e.Id == followUp.Id))
        {
            return null;
        }

        if (state.State.Early.Count >= MaxEarly)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"{OriginInstanceId} sent {MaxEarly} notes and status changes on an incident it has not shared with us (yet); no more are kept.");
        }

        state.State.Early.Add(followUp);
        await state.WriteStateAsync();
        return null;
    }

    public Task<string?> GetTrackingIdAsync() => Task.FromResult(state.State.TrackingId);

    /// <summary>Our incident for it (its tracking id is taken first).</summary>
    private IIncidentGrain Incident => GrainFactory.GetGrain<IIncidentGrain>(state.State.TrackingId!);
}
