using System.Security.Cryptography;
using Cirt.Grains.Partners;

namespace Cirt.Server.Federation;

/// <summary>
/// This instance's identity towards partner CIRTs: its id, country and ECDSA P-256 signing key.
/// The private key is created at first start in a file only this user can read, and never leaves it.
/// </summary>
public sealed class FederationIdentity : IDisposable
{
    private readonly ECDsa key;
    private readonly byte[] pseudonymSecret;

    private FederationIdentity(FederationOptions options, ECDsa key, byte[] pseudonymSecret)
    {
        this.key = key;
        this.pseudonymSecret = pseudonymSecret;
        InstanceId = options.InstanceId;
        Country = options.Country;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        Fingerprint = PartnerKeys.Fingerprint(key.ExportSubjectPublicKeyInfo());
    }

    public string InstanceId { get; }

    public string Country { get; }

    /// <summary>SubjectPublicKeyInfo, PEM: what partners register.</summary>
    public string PublicKeyPem { get; }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex.</summary>
    public string Fingerprint { get; }

    /// <summary>The file beside the signing key holding the secret that keys the per-partner pseudonyms.</summary>
    public const string PseudonymKeyFileName = "federation-pseudonym.key";

    /// <summary>
    /// Loads the signing key from <paramref name="keyFile"/> and the pseudonym secret from the file
    /// beside it (<see cref="PseudonymKeyFileName"/>), creating each (mode 0600) when missing.
    /// </summary>
    public static FederationIdentity LoadOrCreate(FederationOptions options, string keyFile)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = SecretFile.ReadOrCreate(keyFile, () => key.ExportPkcs8PrivateKeyPem());
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
        {
            throw new InvalidOperationException($"The federation signing key {keyFile} is not an ECDSA P-256 key.");
        }

        var pseudonymFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyFile))!, PseudonymKeyFileName);
        var secret = Convert.FromBase64String(SecretFile.ReadOrCreate(pseudonymFile, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Trim());
        if (secret.Length < 32)
        {
            throw new InvalidOperationException($"The pseudonym secret {pseudonymFile} is shorter than 32 bytes.");
        }

        return new FederationIdentity(options, key, secret);
    }

    /// <summary>An identity that lives in this process only (the Memory profile): a new key and secret at every start, nothing on disk.</summary>
    public static FederationIdentity CreateInMemory(FederationOptions options) =>
        new(options, ECDsa.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The key that pseudonymises personal data for one partner (<see cref="Pseudonyms.DeriveKey"/> from
    /// this instance's secret): each partner sees other pseudonyms for the same address, and none can
    /// be reversed without the secret.
    /// </summary>
    public byte[] PseudonymKeyFor(string partnerId) => Pseudonyms.DeriveKey(pseudonymSecret, partnerId);

    /// <summary>ECDSA P-256 with SHA-256, r and s (IEEE P1363, 64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Whether <paramref name="signature"/> is <paramref name="publicKeyPem"/>'s over <paramref name="data"/>; false for a key that is not P-256.</summary>
    public static bool Verify(string publicKeyPem, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var publicKey = ECDsa.Create();
        try
        {
            publicKey.ImportFromPem(publicKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return false;
        }

        return publicKey.KeySize == 256
               && publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => key.Dispose();
}
