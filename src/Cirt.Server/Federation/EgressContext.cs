using Cirt.Grains.Incidents;

namespace Cirt.Server.Federation;

/// <summary>What <see cref="SharingPolicy.Decide"/> needs to know beyond the payload and the partner.</summary>
/// <param name="LocalInstanceId">This instance's id (Cirt:Federation:InstanceId): an item whose origin is another instance is being passed on.</param>
/// <param name="NamesPartner">The item names the partner as a recipient: the only way a TLP:AMBER+STRICT item may leave.</param>
/// <param name="PseudonymKey">
/// The partner's own key for IP pseudonyms (at least <see cref="Pseudonyms.MinimumKeyLength"/> bytes,
/// e.g. from <see cref="Pseudonyms.DeriveKey"/>); used only when the agreement allows pseudonymised data.
/// </param>
public sealed record EgressContext(string LocalInstanceId, bool NamesPartner, byte[] PseudonymKey)
{
    /// <summary>
    /// The item's current TLP for a payload that carries none (a withdrawal, a note, a status
    /// change). When given, the TLP rules apply to it as to the item itself (an incident raised to
    /// TLP:RED since it was shared sends no more notes); when null, only the item's publishing was
    /// checked against the label.
    /// </summary>
    public Tlp? ItemTlp { get; init; }
}
