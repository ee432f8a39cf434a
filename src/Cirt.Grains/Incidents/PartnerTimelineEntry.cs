namespace Cirt.Grains.Incidents;

/// <summary>One entry of the shared timeline a partner CIRT sent with its incident.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.PartnerTimelineEntry")]
public sealed record PartnerTimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Text);
