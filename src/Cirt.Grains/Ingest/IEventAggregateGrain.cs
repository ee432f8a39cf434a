namespace Cirt.Grains.Ingest;

/// <summary>
/// One incident per stakeholder, RSIT type and day, fed by automated events: "37 hosts infected
/// with X in ExampleTel's network today" rather than 37 rows. Key: <see cref="EventAggregate.Key"/>.
/// </summary>
public interface IEventAggregateGrain : IGrainWithStringKey
{
    /// <summary>Adds the events to the aggregate's incident, opening it on the first events; returns its tracking id and whether it was opened.</summary>
    Task<AggregateApplied> ApplyAsync(EventAggregate aggregate);
}
