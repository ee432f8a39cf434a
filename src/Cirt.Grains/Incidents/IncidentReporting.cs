using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Opening an incident from a report: its classification checked against the RSIT taxonomy, its
/// triage deadline and (for a significant incident of a NIS2 entity) its reporting deadlines
/// started, and the first timeline entry. What a report says beyond its reporter is a claim until a
/// CIRT analyst has triaged it: an operator's report affects its reporter (and the reporter's own
/// sectors it names) only, the other stakeholders and sectors it names are proposed for triage
/// (<see cref="IncidentTriage"/> confirms them or not), and the severity it gives is kept as the
/// reporter's (<see cref="Incident.ReportedSeverity"/>), the CIRT's severity being set at triage.
/// A report by CIRT staff (on an organisation's behalf) is the CIRT's own word: the stakeholders and
/// sectors it names are affected at once. Its severity too waits for triage.
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
    /// <paramref name="reporterSectorCodes"/> are the reporter's own sectors (the directory's);
    /// <paramref name="submitter"/> is who sent the report (an operator, or CIRT staff on an
    /// organisation's behalf). <paramref name="reporterTrustServiceProvider"/> says whether the
    /// reporter is registered as a trust service provider: with the report saying its trust services
    /// are affected, the incident notification is due within 24 hours (NIS2 Art. 23(4)(b)).
    /// </summary>
    public static Incident Open(
        Incident? existing, string trackingId, IncidentReport report, Nis2EntityClass reporterEntityClass, string[] reporterSectorCodes,
        Deadline triageDeadline, Principal submitter, DateTimeOffset now, bool reporterTrustServiceProvider = false)
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
        var scope = Scope(report, reporterSectorCodes, submitter);
        var summary = (report.Exercise ? "EXERCISE. " : "") + $"Reported by {report.ReporterStakeholderId}: {report.Title}"
                      + (nis2 ? $" (significant incident of a NIS2 {reporterEntityClass.ToString().ToLowerInvariant()} entity: reporting deadlines run)" : "")
                      + Proposals(scope.ProposedAffected, scope.ProposedSectors);
        return new Incident
        {
            TrackingId = trackingId,
            RequestId = report.RequestId,
            Title = report.Title,
            Description = report.Description,
            ReporterStakeholderId = report.ReporterStakeholderId,
            ReporterContact = report.Contact,
            ReporterEntityClass = reporterEntityClass,
            AffectedStakeholderIds = scope.Affected,
            SectorCodes = scope.Sectors,
            ProposedAffectedStakeholderIds = scope.ProposedAffected,
            ProposedSectorCodes = scope.ProposedSectors,
            RsitClass = report.RsitClass,
            RsitType = report.RsitType,
            ReportedSeverity = report.Severity,
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
            Timeline = [new TimelineEntry(1, now, submitter.Actor, "reported", summary)],
        };
    }

    /// <summary>
    /// The stakeholders and sectors a report affects at once, and those it proposes for triage. From
    /// CIRT staff, everything it names is affected (its reporter's sectors when it names none). From an
    /// operator, its reporter only, and of the sectors it names its reporter's own (all of them when it
    /// names none of them); the other stakeholders and sectors named are proposed.
    /// </summary>
    public static (string[] Affected, string[] Sectors, string[] ProposedAffected, string[] ProposedSectors) Scope(
        IncidentReport report, string[] reporterSectorCodes, Principal submitter)
    {
        var reporter = report.ReporterStakeholderId;
        var others = report.AffectedStakeholderIds.Where(id => id != reporter).Distinct().ToArray();
        var named = report.SectorCodes.Distinct().ToArray();
        if (submitter.IsCirtStaff)
        {
            return ([reporter, .. others], Sorted(named.Length > 0 ? named : reporterSectorCodes), [], []);
        }

        var own = named.Where(reporterSectorCodes.Contains).ToArray();
        return ([reporter], Sorted(own.Length > 0 ? own : reporterSectorCodes), others, Sorted(named.Except(reporterSectorCodes)));
    }

    /// <summary>What the report proposes for triage, for its first timeline entry ("" when nothing).</summary>
    private static string Proposals(string[] stakeholders, string[] sectors) =>
        stakeholders.Length == 0 && sectors.Length == 0 ? ""
        : ". Proposed by the reporter, to confirm at triage: "
          + string.Join("; ", new[]
          {
              stakeholders.Length > 0 ? "affected " + string.Join(", ", stakeholders) : "",
              sectors.Length > 0 ? "sectors " + string.Join(", ", sectors) : "",
          }.Where(part => part.Length > 0));

    private static string[] Sorted(IEnumerable<string> codes) => codes.Distinct().Order(StringComparer.Ordinal).ToArray();
}
