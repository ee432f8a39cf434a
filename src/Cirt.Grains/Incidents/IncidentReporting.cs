using Cirt.Grains.Common;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Opening an incident from an operator's report: its classification checked against the RSIT
/// taxonomy, its triage deadline and (for a significant incident of a NIS2 entity) its reporting
/// deadlines started, and the first timeline entry.
/// </summary>
public static class IncidentReporting
{
    /// <summary>The label of a report that gives none.</summary>
    public const Tlp DefaultTlp = Tlp.Amber;

    /// <summary>
    /// Refuses a report whose classification is not in the taxonomy. A report may leave both class
    /// and type empty: triage classifies it then.
    /// </summary>
    public static void Check(IncidentReport report, RsitTaxonomy taxonomy)
    {
        if ((report.RsitClass.Length > 0 || report.RsitType.Length > 0) && taxonomy.Refuse(report.RsitClass, report.RsitType) is { } bad)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, bad.Message, bad.Field);
        }
    }

    /// <summary>
    /// The incident <paramref name="report"/> opens (checked by <see cref="Check"/> beforehand), or
    /// <paramref name="existing"/> unchanged when it was opened by the same request already.
    /// <paramref name="reporterTrustServiceProvider"/> says whether the reporter is registered as a
    /// trust service provider: with the report saying its trust services are affected, the incident
    /// notification is due within 24 hours (NIS2 Art. 23(4)(b)).
    /// </summary>
    public static Incident Open(
        Incident? existing, string trackingId, IncidentReport report, Nis2EntityClass reporterEntityClass, string[] sectorCodes,
        Deadline triageDeadline, string actor, DateTimeOffset now, bool reporterTrustServiceProvider = false)
    {
        if (existing is not null)
        {
            return existing.RequestId == report.RequestId
                ? existing
                : throw new CirtException(CirtErrorKind.AlreadyExists, $"Incident '{trackingId}' already exists.");
        }

        var awareAt = report.AwareAt ?? now;
        var nis2 = Nis2Clock.Applies(reporterEntityClass, report.Significant);
        Deadline[] deadlines =
        [
            triageDeadline,
            .. nis2 ? Nis2Clock.Start(awareAt, now, reporterTrustServiceProvider, report.AffectsTrustServices) : [],
        ];
        var summary = (report.Exercise ? "EXERCISE. " : "") + $"Reported by {report.ReporterStakeholderId}: {report.Title}"
                      + (nis2 ? $" (significant incident of a NIS2 {reporterEntityClass.ToString().ToLowerInvariant()} entity: reporting deadlines run)" : "");
        return new Incident
        {
            TrackingId = trackingId,
            RequestId = report.RequestId,
            Title = report.Title,
            Description = report.Description,
            ReporterStakeholderId = report.ReporterStakeholderId,
            ReporterContact = report.Contact,
            ReporterEntityClass = reporterEntityClass,
            AffectedStakeholderIds = report.AffectedStakeholderIds.Prepend(report.ReporterStakeholderId).Distinct().ToArray(),
            SectorCodes = sectorCodes.Distinct().Order(StringComparer.Ordinal).ToArray(),
            RsitClass = report.RsitClass,
            RsitType = report.RsitType,
            Severity = report.Severity,
            Tlp = report.Tlp ?? DefaultTlp,
            Status = IncidentStatus.Reported,
            Observables = IncidentObservables.Merge([], report.Observables).All,
            Deadlines = deadlines,
            Significant = report.Significant,
            Exercise = report.Exercise,
            SuspectedMalicious = report.SuspectedMalicious,
            CrossBorderImpact = report.CrossBorderImpact,
            AffectsTrustServices = report.AffectsTrustServices,
            AwareAt = awareAt,
            ReportedAt = now,
            UpdatedAt = now,
            Version = 1,
            Timeline = [new TimelineEntry(1, now, actor, "reported", summary)],
        };
    }
}
