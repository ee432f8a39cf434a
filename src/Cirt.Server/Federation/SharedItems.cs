using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// Our records in their wire form for sharing, whole: what could leave before the partner's
/// agreement (<see cref="SharingPolicy"/>) takes out what may not. Internal timeline entries,
/// referrals and the reporter's contact never enter it.
/// </summary>
public static class SharedItems
{
    public static Proto.SharedAdvisory Advisory(Advisory advisory)
    {
        var content = advisory.Content;
        var shared = new Proto.SharedAdvisory
        {
            Title = content.Title,
            Summary = content.Summary,
            Tlp = CommonMapping.ToProto(content.Tlp),
            PublishedAt = CommonMapping.ToProto(advisory.PublishedAt),
        };
        shared.AffectedProducts.Add(content.AffectedProducts);
        shared.Cves.Add(content.Cves.Select(c => new Proto.AffectedCve { CveId = c.CveId, CvssScore = c.CvssScore, Severity = CommonMapping.ToProto(c.Band) }));
        shared.Indicators.Add(content.Indicators.Select(CommonMapping.ToProto));
        shared.RecommendedActions.Add(content.RecommendedActions);
        shared.Sectors.Add(content.TargetSectors);
        shared.AffectedOrganisations.Add(content.TargetStakeholders);
        return shared;
    }

    public static Proto.SharedIncident Incident(Incident incident)
    {
        var shared = new Proto.SharedIncident
        {
            Title = incident.Title,
            RsitClass = incident.RsitClass,
            RsitType = incident.RsitType,
            Severity = CommonMapping.ToProto(incident.Severity),
            Tlp = CommonMapping.ToProto(incident.Tlp),
            Status = CommonMapping.ToProto(incident.Status),
            ReportedAt = CommonMapping.ToProto(incident.ReportedAt),
        };
        shared.Sectors.Add(incident.SectorCodes);
        shared.Indicators.Add(incident.Observables.Select(CommonMapping.ToProto));
        // The reporter is named in the timeline ("Reported by ..."): listed, the agreement's rule on
        // organisations' names reaches it too.
        shared.AffectedOrganisations.Add(new[] { incident.ReporterStakeholderId }.Concat(incident.AffectedStakeholderIds)
            .Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal));
        shared.Timeline.Add(incident.Timeline
            .Where(e => IncidentDisclosure.VisibilityOf(e) == TimelineVisibility.Shared)
            .Select(e => new Proto.SharedTimelineEntry { At = CommonMapping.ToProto(e.At), Text = e.Summary }));
        return shared;
    }
}
