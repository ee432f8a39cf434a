using System.Globalization;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Ingest;

public sealed class EventAggregateGrain(
    [PersistentState("event-aggregate", StorageNames.Cirt)] IPersistentState<EventAggregateState> state) : Grain, IEventAggregateGrain
{
    public async Task<AggregateApplied> ApplyAsync(EventAggregate aggregate)
    {
        if (state.State.TrackingId is null)
        {
            var number = await GrainFactory.GetGrain<ITrackingNumberGrain>(aggregate.Day.Year.ToString("D4", CultureInfo.InvariantCulture)).NextAsync();
            // Stored before the incident is opened: a retry opens the same incident, never a second one.
            state.State.TrackingId = TrackingIds.Format(aggregate.Day.Year, number);
            await state.WriteStateAsync();
        }

        var incident = GrainFactory.GetGrain<IIncidentGrain>(state.State.TrackingId);
        var opened = await incident.GetAsync() is null;
        if (opened)
        {
            var owner = await GrainFactory.GetGrain<IStakeholderGrain>(aggregate.StakeholderId).GetAsync();
            await incident.OpenAutomatedAsync(aggregate, owner?.Name ?? aggregate.StakeholderId, owner?.SectorCodes ?? [], owner?.Nis2EntityClass ?? Nis2EntityClass.None);
        }

        await incident.RecordEventsAsync(aggregate);
        return new AggregateApplied(state.State.TrackingId, opened);
    }
}
