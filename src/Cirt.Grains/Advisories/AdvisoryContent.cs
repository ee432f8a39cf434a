using Cirt.Grains.Incidents;

namespace Cirt.Grains.Advisories;

/// <summary>
/// What a coordinator writes: the advisory's content and audience (at home: target sectors and
/// stakeholders; abroad: <see cref="PartnerRecipients"/>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryContent")]
public sealed record AdvisoryContent(
    [property: Id(0)] string Title,
    [property: Id(1)] string Summary,
    [property: Id(2)] string[] AffectedProducts,
    [property: Id(3)] AffectedCve[] Cves,
    [property: Id(4)] Observable[] Indicators,
    [property: Id(5)] string[] RecommendedActions,
    [property: Id(6)] Tlp Tlp,
    [property: Id(7)] string[] TargetSectors,
    [property: Id(8)] string[] TargetStakeholders,
    [property: Id(9)] string IncidentTrackingId)
{
    /// <summary>
    /// The partner CIRTs it is shared with (ids as registered, e.g. "cirt-de"): each gets it through
    /// the outbox as its agreement allows when it is published, updated or withdrawn. Advisories
    /// stored before sharing read back without it (see <see cref="Advisory.WithListsPresent"/>).
    /// </summary>
    [Id(10)]
    public string[] PartnerRecipients { get; init; } = [];

    /// <summary>The same content with <see cref="PartnerRecipients"/> present (empty when it was stored before sharing).</summary>
    public AdvisoryContent WithListsPresent() => PartnerRecipients is not null ? this : this with { PartnerRecipients = [] };
}
