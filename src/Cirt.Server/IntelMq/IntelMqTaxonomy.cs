using Cirt.Grains.Taxonomy;

namespace Cirt.Server.IntelMq;

/// <summary>
/// IntelMQ's classification (its harmonization's classification.taxonomy and classification.type)
/// onto the RSIT classes and types Cirt knows (<see cref="RsitTaxonomy"/>). IntelMQ follows RSIT
/// with a few differences, settled here:
/// <list type="bullet">
/// <item>"unauthorized-use-of-resources" is RSIT's "unauthorised-use-of-resources";</item>
/// <item>its types outside RSIT, all of its taxonomy "other" (blacklist, dga-domain, malware, proxy,
/// tor), are RSIT other/other, the IntelMQ type kept beside the event (<see cref="IntelMqClassification.KeepType"/>);</item>
/// <item>without a taxonomy, the class is the one whose types hold the type (as IntelMQ's taxonomy expert does).</item>
/// </list>
/// Anything else goes through as given, and the ingest rules check it against the taxonomy.
/// </summary>
public static class IntelMqTaxonomy
{
    /// <summary>The taxonomy IntelMQ files its types outside RSIT under, which is RSIT's class "other" too.</summary>
    public const string Other = "other";

    private static readonly HashSet<string> OutsideRsit = new(StringComparer.Ordinal) { "blacklist", "dga-domain", "malware", "proxy", "tor" };

    private static readonly Dictionary<string, string> RsitSpelling = new(StringComparer.Ordinal)
    {
        ["unauthorized-use-of-resources"] = "unauthorised-use-of-resources",
    };

    public static IntelMqClassification Classify(string? taxonomy, string? type, RsitTaxonomy rsit)
    {
        type ??= "";
        if (OutsideRsit.Contains(type) && (taxonomy is null || taxonomy == Other))
        {
            return new IntelMqClassification(Other, Other, KeepType: true);
        }

        var rsitType = RsitSpelling.GetValueOrDefault(type, type);
        var rsitClass = taxonomy ?? rsit.Classes.FirstOrDefault(c => c.Types.Contains(rsitType, StringComparer.Ordinal))?.Name ?? "";
        return new IntelMqClassification(rsitClass, rsitType, KeepType: false);
    }
}
