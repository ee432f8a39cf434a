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

    /// <summary>
    /// The cluster profile's identity, the same on every silo: the signing key and pseudonym secret
    /// shared through PostgreSQL (<paramref name="secrets"/>; created by the first silo to start). When
    /// <see cref="FederationOptions.SigningKeyFile"/> is set, the key is read from that file, which must
    /// exist (every silo given the same one: a silo creating its own would sign as another CIRT), and the
    /// pseudonym secret from the file beside it when there is one, else from PostgreSQL.
    /// </summary>
    public static FederationIdentity LoadForCluster(FederationOptions options, Storage.ClusterSecrets secrets)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem;
        string? pseudonymFile = null;
        if (options.SigningKeyFile is { } keyFile)
        {
            if (!File.Exists(keyFile))
            {
                throw new StartupRefusedException([
                    $"Cirt:Federation:SigningKeyFile names {keyFile}, which does not exist. In the cluster profile every silo signs with the same key: "
                    + "copy the same key file to every silo, or leave SigningKeyFile unset to share one key through PostgreSQL."]);
            }

            pem = File.ReadAllText(keyFile);
            pseudonymFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyFile))!, PseudonymKeyFileName);
        }
        else
        {
            pem = secrets.ReadOrCreate(Storage.ClusterSecrets.FederationSigningKey, () => key.ExportPkcs8PrivateKeyPem());
        }

        key.ImportFromPem(pem);
        if (key.KeySize != 256)
        {
            throw new InvalidOperationException($"The federation signing key ({options.SigningKeyFile ?? "shared in PostgreSQL"}) is not an ECDSA P-256 key.");
        }

        var secretText = pseudonymFile is not null && File.Exists(pseudonymFile)
            ? File.ReadAllText(pseudonymFile)
            : secrets.ReadOrCreate(Storage.ClusterSecrets.FederationPseudonymSecret, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var secret = Convert.FromBase64String(secretText.Trim());
        if (secret.Length < 32)
        {
            throw new InvalidOperationException($"The pseudonym secret ({pseudonymFile ?? "shared in PostgreSQL"}) is shorter than 32 bytes.");
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
