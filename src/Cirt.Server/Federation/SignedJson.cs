using System.Security.Cryptography;
using Cirt.Grains.Partners;
using Google.Protobuf;

namespace Cirt.Server.Federation;

/// <summary>
/// The JSON of federation messages and how it is signed: a message's proto3 JSON form in its
/// canonical form (RFC 8785), its digest, and signatures over it by a partner's key.
/// </summary>
public static class SignedJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    /// <summary>What "sha256:" digests look like: the prefix and 64 lower-case hex digits.</summary>
    public const string DigestPrefix = "sha256:";

    /// <summary>The canonical JSON (RFC 8785) of <paramref name="message"/>'s proto3 JSON form.</summary>
    public static string Canonical(IMessage message) => Jcs.CanonicalString(Formatter.Format(message));

    /// <summary>"sha256:" and the lower-case hex SHA-256 of the canonical form of <paramref name="json"/>.</summary>
    /// <exception cref="FormatException">The text is not I-JSON.</exception>
    public static string Digest(string json) => DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Jcs.Canonicalize(json)));

    /// <summary>Whether <paramref name="digest"/> has the form of a digest.</summary>
    public static bool IsDigest(string digest) =>
        digest.Length == DigestPrefix.Length + 64 && digest.StartsWith(DigestPrefix, StringComparison.Ordinal)
        && digest.AsSpan(DigestPrefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>The key of <paramref name="keys"/> with <paramref name="fingerprint"/>, when it is valid at <paramref name="at"/>.</summary>
    public static PartnerKey? ValidKey(IEnumerable<PartnerKey> keys, string fingerprint, DateTimeOffset at) =>
        keys.FirstOrDefault(k => k.Fingerprint == fingerprint && k.IsValidAt(at));

    /// <summary>Whether <paramref name="signature"/> is <paramref name="key"/>'s over the canonical form of <paramref name="json"/>.</summary>
    public static bool Verifies(PartnerKey key, string json, ReadOnlySpan<byte> signature)
    {
        byte[] canonical;
        try
        {
            canonical = Jcs.Canonicalize(json);
        }
        catch (FormatException)
        {
            return false;
        }

        return signature.Length == 64 && FederationIdentity.Verify(key.PublicKeyPem, canonical, signature);
    }
}
