namespace Cirt.Grains.Incidents;

/// <summary>An operator's incident report as submitted, already validated for shape.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentReport")]
public sealed record IncidentReport(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string ReporterStakeholderId,
    [property: Id(2)] ReporterContact Contact,
    [property: Id(3)] string Title,
    [property: Id(4)] string Description,
    [property: Id(5)] DateTimeOffset? AwareAt,
    [property: Id(6)] bool Significant,
    [property: Id(7)] bool SuspectedMalicious,
    [property: Id(8)] bool CrossBorderImpact,
    [property: Id(9)] string[] AffectedStakeholderIds,
    [property: Id(10)] string[] SectorCodes,
    [property: Id(11)] string RsitClass,
    [property: Id(12)] string RsitType,
    [property: Id(13)] Severity Severity,
    [property: Id(14)] Tlp? Tlp,
    [property: Id(15)] Observable[] Observables,
    [property: Id(16)] bool Exercise = false,
    [property: Id(17)] bool AffectsTrustServices = false);
