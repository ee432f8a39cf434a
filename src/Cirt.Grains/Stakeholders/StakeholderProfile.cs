namespace Cirt.Grains.Stakeholders;

/// <summary>What a coordinator sets when creating or updating a stakeholder.</summary>
/// <param name="TrustServiceProvider">
/// A trust service provider (NIS2 Art. 23(4)(b)); see <see cref="StakeholderRules.RefuseTrustServiceProvider"/>.
/// </param>
[GenerateSerializer, Immutable]
[Alias("cirt.StakeholderProfile")]
public sealed record StakeholderProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] StakeholderType Type,
    [property: Id(2)] string[] SectorCodes,
    [property: Id(3)] string Country,
    [property: Id(4)] Nis2EntityClass Nis2EntityClass,
    [property: Id(5)] Contact[] Contacts,
    [property: Id(6)] Constituency Constituency,
    [property: Id(7)] bool TrustServiceProvider = false);
