using Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>Personal data found in one text.</summary>
/// <param name="Kind">An e-mail address, a phone number, or an IP address not listed as an indicator.</param>
/// <param name="Offset">Where the match starts in the text, in UTF-16 code units.</param>
/// <param name="Value">The text matched, as written.</param>
/// <param name="Canonical">
/// For an IP address, its canonical form (an IPv4-mapped IPv6 address as IPv4; a prefix as
/// address/length), which pseudonyms are computed over; for the other kinds, <paramref name="Value"/>.
/// </param>
public sealed record PersonalDataMatch(PersonalDataKind Kind, int Offset, string Value, string Canonical)
{
    public int Length => Value.Length;

    public int End => Offset + Value.Length;
}
