using System.Security.Cryptography;
using System.Text;

namespace Cirt.Server.Federation;

/// <summary>
/// Keyed pseudonyms for victims' IP addresses, for partners whose agreement allows pseudonymised
/// personal data: HMAC-SHA256 with a key per partner over the address's canonical text. The same
/// address gives the same pseudonym to one partner (it can correlate our messages) and another
/// pseudonym to every other partner (two partners cannot join what they received); without the key
/// the address cannot be recovered by trying all 2^32 IPv4 addresses.
/// </summary>
public static class Pseudonyms
{
    /// <summary>What a pseudonym starts with, so a reader sees what it stands for.</summary>
    public const string Prefix = "ip-pseudonym:";

    /// <summary>Shorter keys are refused: they could be found by trying them all.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// "ip-pseudonym:" and the lower-case hex of the first 16 bytes of
    /// HMAC-SHA256(<paramref name="key"/>, UTF-8 of <paramref name="canonicalAddress"/>).
    /// </summary>
    /// <param name="canonicalAddress">An address or prefix in its canonical form (see <see cref="PersonalDataMatch.Canonical"/>).</param>
    public static string Of(ReadOnlySpan<byte> key, string canonicalAddress)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"A pseudonym key has at least {MinimumKeyLength} bytes (got {key.Length}).", nameof(key));
        }

        ArgumentException.ThrowIfNullOrEmpty(canonicalAddress);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonicalAddress), mac);
        return Prefix + Convert.ToHexStringLower(mac[..16]);
    }

    /// <summary>
    /// A partner's pseudonym key from this instance's secret: HKDF-SHA256 (RFC 5869) with no salt and
    /// the info "cirt ip-pseudonym " followed by the partner's id, 32 bytes. One secret serves every
    /// partner; each partner's key differs.
    /// </summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> instanceSecret, string partnerId)
    {
        if (instanceSecret.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"The pseudonym secret has at least {MinimumKeyLength} bytes (got {instanceSecret.Length}).", nameof(instanceSecret));
        }

        ArgumentException.ThrowIfNullOrEmpty(partnerId);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, instanceSecret.ToArray(), 32, info: Encoding.UTF8.GetBytes("cirt ip-pseudonym " + partnerId));
    }
}
