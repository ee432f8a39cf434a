using System.Security.Cryptography;

namespace Cirt.Server.Federation;

/// <summary>
/// This instance's identity towards partner CIRTs: its id, country and ECDSA P-256 signing key.
/// The private key is created at first start in a file only this user can read, and never leaves it.
/// </summary>
public sealed class FederationIdentity : IDisposable
{
    private readonly ECDsa key;

    private FederationIdentity(FederationOptions options, ECDsa key)
    {
        this.key = key;
        InstanceId = options.InstanceId;
        Country = options.Country;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        Fingerprint = FingerprintOf(key.ExportSubjectPublicKeyInfo());
    }

    public string InstanceId { get; }

    public string Country { get; }

    /// <summary>SubjectPublicKeyInfo, PEM: what partners register.</summary>
    public string PublicKeyPem { get; }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex.</summary>
    public string Fingerprint { get; }

    /// <summary>Loads the signing key from <paramref name="keyFile"/>, creating it (mode 0600) when missing.</summary>
    public static FederationIdentity LoadOrCreate(FederationOptions options, string keyFile)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(keyFile))
        {
            key.ImportFromPem(File.ReadAllText(keyFile));
            if (key.KeySize != 256)
            {
                throw new InvalidOperationException($"The federation signing key {keyFile} is not an ECDSA P-256 key.");
            }
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new StreamWriter(keyFile, System.Text.Encoding.ASCII, fileOptions))
            {
                file.Write(key.ExportPkcs8PrivateKeyPem());
                file.Flush();
                file.BaseStream.Flush();
            }
        }

        return new FederationIdentity(options, key);
    }

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

    /// <summary>The fingerprint of a PEM SubjectPublicKeyInfo, or null when it is not an ECDSA P-256 public key.</summary>
    public static string? FingerprintOf(string publicKeyPem)
    {
        using var publicKey = ECDsa.Create();
        try
        {
            publicKey.ImportFromPem(publicKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return null;
        }

        return publicKey.KeySize == 256 ? FingerprintOf(publicKey.ExportSubjectPublicKeyInfo()) : null;
    }

    private static string FingerprintOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public void Dispose() => key.Dispose();
}
