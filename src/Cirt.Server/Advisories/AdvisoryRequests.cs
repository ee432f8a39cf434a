using System.Text.RegularExpressions;
using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Advisories;

/// <summary>Shape checks for advisories as they come in: from our coordinators, and from partner CIRTs.</summary>
public static partial class AdvisoryRequests
{
    private const int MaxProducts = 100;
    private const int MaxCves = 100;
    private const int MaxActions = 50;

    /// <summary>
    /// The content of a request, checked field by field (every problem reported at once, under
    /// <paramref name="field"/>); INVALID_ARGUMENT when anything is wrong.
    /// </summary>
    public static AdvisoryContent Content(Proto.AdvisoryContent? c, string field = "content")
    {
        var v = new Violations();
        if (c is null)
        {
            v.Add(field, "is required").Throw();
        }

        v.Required($"{field}.title", c.Title, Limits.TitleLength);
        v.Required($"{field}.summary", c.Summary, Limits.DescriptionLength);
        v.MaxCount($"{field}.affected_products", c.AffectedProducts, MaxProducts);
        for (var i = 0; i < Math.Min(c.AffectedProducts.Count, MaxProducts); i++)
        {
            v.Required($"{field}.affected_products[{i}]", c.AffectedProducts[i], Limits.NameLength);
        }

        v.MaxCount($"{field}.cves", c.Cves, MaxCves);
        for (var i = 0; i < Math.Min(c.Cves.Count, MaxCves); i++)
        {
            if (!CveId().IsMatch(c.Cves[i].CveId))
            {
                v.Add($"{field}.cves[{i}].cve_id", "must look like CVE-2026-12345");
            }

            if (!(c.Cves[i].CvssScore is >= 0.0 and <= 10.0))
            {
                v.Add($"{field}.cves[{i}].cvss_score", "must be 0.0 to 10.0");
            }
        }

        v.MaxCount($"{field}.indicators", c.Indicators, Limits.ObservablesPerRequest);
        var indicators = c.Indicators.Count <= Limits.ObservablesPerRequest ? CommonMapping.ToDomain(c.Indicators, $"{field}.indicators", v) : [];
        v.MaxCount($"{field}.recommended_actions", c.RecommendedActions, MaxActions);
        for (var i = 0; i < Math.Min(c.RecommendedActions.Count, MaxActions); i++)
        {
            v.Required($"{field}.recommended_actions[{i}]", c.RecommendedActions[i], Limits.ReasonLength);
        }

        v.Enum($"{field}.tlp", c.Tlp);
        FieldRules.SectorCodes(v, $"{field}.target_sectors", c.TargetSectors, Limits.SectorsPerItem);
        FieldRules.StakeholderIds(v, $"{field}.target_stakeholders", c.TargetStakeholders, Limits.StakeholdersPerIncident);
        if (c.IncidentTrackingId.Length > 0)
        {
            FieldRules.TrackingId(v, $"{field}.incident_tracking_id", c.IncidentTrackingId);
        }

        PartnerIds(v, $"{field}.partner_recipients", c.PartnerRecipients);
        v.ThrowIfAny();
        return new AdvisoryContent(
            c.Title.Trim(), c.Summary, [.. c.AffectedProducts], c.Cves.Select(x => new AffectedCve(x.CveId, x.CvssScore)).ToArray(), indicators,
            [.. c.RecommendedActions], CommonMapping.ToDomain(c.Tlp), [.. c.TargetSectors.Distinct()], [.. c.TargetStakeholders.Distinct()], c.IncidentTrackingId)
        {
            PartnerRecipients = [.. c.PartnerRecipients.Distinct()],
        };
    }

    /// <summary>At most <see cref="AdvisoryRules.MaxPartnerRecipients"/> partner ids, each shaped like one (<see cref="PartnerRules.IsValidId"/>).</summary>
    public static void PartnerIds(Violations v, string field, IList<string> ids)
    {
        v.MaxCount(field, ids, AdvisoryRules.MaxPartnerRecipients);
        for (var i = 0; i < Math.Min(ids.Count, AdvisoryRules.MaxPartnerRecipients); i++)
        {
            if (!PartnerRules.IsValidId(ids[i]))
            {
                v.Add($"{field}[{i}]", $"'{ids[i][..Math.Min(ids[i].Length, 64)]}' is not a partner id (1 to 64 lower-case letters, digits, '.', '_' or '-', e.g. cirt-de)");
            }
        }
    }

    [GeneratedRegex(@"\ACVE-\d{4}-\d{4,7}\z")]
    private static partial Regex CveId();
}
