namespace Cirt.Grains.Incidents;

/// <summary>
/// An incident as a partner CIRT shared it with us: the redacted summary its agreement with us let
/// leave (what is absent was not allowed to). It opens or updates a foreign incident here
/// (<see cref="IncidentSharing.Open"/>, <see cref="IncidentSharing.Update"/>).
/// </summary>
/// <param name="Status">The incident's status at its origin.</param>
/// <param name="Sectors">Its sectors at the origin (shown, not ours to count).</param>
/// <param name="AffectedOrganisations">The names of the organisations it affects there, when the origin's agreement lets them leave.</param>
/// <param name="Timeline">The origin's shared timeline, oldest first.</param>
/// <param name="ReportedAt">When it was reported at the origin.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.PartnerIncident")]
public sealed record PartnerIncident(
    [property: Id(0)] string Title,
    [property: Id(1)] string RsitClass,
    [property: Id(2)] string RsitType,
    [property: Id(3)] Severity Severity,
    [property: Id(4)] Tlp Tlp,
    [property: Id(5)] IncidentStatus Status,
    [property: Id(6)] string[] Sectors,
    [property: Id(7)] Observable[] Indicators,
    [property: Id(8)] string[] AffectedOrganisations,
    [property: Id(9)] PartnerTimelineEntry[] Timeline,
    [property: Id(10)] DateTimeOffset ReportedAt);
