using System.Security.Cryptography;

namespace Cirt.Grains.Partners;

/// <summary>
/// Public signing keys as partners exchange them: ECDSA P-256, SubjectPublicKeyInfo in PEM
/// ("-----BEGIN PUBLIC KEY-----"), known by the SHA-256 of their DER form. The one place that reads
/// such a key and computes its fingerprint, for our own key and for partners' keys alike.
/// </summary>
public static class PartnerKeys
{
    /// <summary>The longest PEM accepted: a P-256 public key takes about 180 characters.</summary>
    public const int MaxPemLength = 1_000;

    /// <summary>The object identifier of the NIST P-256 curve (secp256r1, prime256v1).</summary>
    private const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>SHA-256 of a DER SubjectPublicKeyInfo, lower-case hex.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>The fingerprint of a PEM public key, or null when it is not an ECDSA P-256 public key.</summary>
    public static string? Fingerprint(string publicKeyPem) => Read(publicKeyPem, out var key, out _) ? key.Fingerprint : null;

    /// <summary>
    /// Reads <paramref name="publicKeyPem"/>: exactly one PEM block labelled PUBLIC KEY holding an
    /// ECDSA P-256 SubjectPublicKeyInfo and nothing after it. A private key, another curve or
    /// another algorithm is refused (<paramref name="problem"/> says why), so a key pasted by
    /// mistake is never registered.
    /// </summary>
    /// <param name="key">The key as we store it: re-encoded PEM and its fingerprint.</param>
    public static bool Read(string publicKeyPem, out (string Pem, string Fingerprint) key, out string problem)
    {
        key = ("", "");
        if (string.IsNullOrWhiteSpace(publicKeyPem))
        {
            problem = "is required (PEM, '-----BEGIN PUBLIC KEY-----')";
            return false;
        }

        if (publicKeyPem.Length > MaxPemLength)
        {
            problem = $"is {publicKeyPem.Length} characters long; an ECDSA P-256 public key in PEM takes about 180 (limit {MaxPemLength})";
            return false;
        }

        if (!PemEncoding.TryFind(publicKeyPem, out var fields) || publicKeyPem[fields.Label] is not "PUBLIC KEY")
        {
            problem = "is not a PEM public key ('-----BEGIN PUBLIC KEY-----' ... '-----END PUBLIC KEY-----')";
            return false;
        }

        if (!string.IsNullOrWhiteSpace(publicKeyPem[fields.Location.End..]))
        {
            problem = "must hold one public key and nothing after it";
            return false;
        }

        var der = Convert.FromBase64String(publicKeyPem[fields.Base64Data]);
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length || ecdsa.ExportParameters(false).Curve.Oid?.Value != P256)
            {
                problem = "is not an ECDSA P-256 public key";
                return false;
            }
        }
        catch (CryptographicException)
        {
            problem = "is not an ECDSA P-256 public key";
            return false;
        }

        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        key = (ecdsa.ExportSubjectPublicKeyInfoPem(), Fingerprint(spki));
        problem = "";
        return true;
    }
}
