using Cirt.Grains.Partners;

namespace Cirt.Grains.Incidents;

/// <summary>
/// A partner CIRT one of our incidents is shared with: who shared it last and when, the incident's
/// version then, and what the outbox made of that summary (<see cref="Outcome"/>: null until it
/// took it). A partner whose agreement refused the latest summary gets no notes or status changes.
/// </summary>
/// <param name="Version">The incident's version last shared with the partner (the share's own version).</param>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentPartnerShare")]
public sealed record IncidentPartnerShare(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] DateTimeOffset SharedAt,
    [property: Id(2)] string SharedBy,
    [property: Id(3)] long Version)
{
    [Id(4)]
    public ShareOutcome? Outcome { get; init; }

    /// <summary>The partner's agreement refused the latest summary.</summary>
    public bool Refused => Outcome is { MessageId.Length: 0 };
}
