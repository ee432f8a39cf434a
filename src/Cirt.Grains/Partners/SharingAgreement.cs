using Cirt.Grains.Incidents;

namespace Cirt.Grains.Partners;

/// <summary>
/// What a partner CIRT may receive from us (and, as the receiver records it, what we accept from
/// it). Default-deny: an empty list allows nothing. The rules that apply it are in the server's
/// <c>SharingPolicy</c>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.SharingAgreement")]
public sealed record SharingAgreement(
    [property: Id(0)] Tlp MaxTlp,
    [property: Id(1)] string[] Sectors,
    [property: Id(2)] bool AllSectors,
    [property: Id(3)] SharedItemKind[] Kinds,
    [property: Id(4)] bool Indicators,
    [property: Id(5)] bool AffectedOrganisationNames,
    [property: Id(6)] PersonalDataPolicy PersonalData,
    [property: Id(7)] string LegalBasis,
    [property: Id(8)] int RetentionDays);
