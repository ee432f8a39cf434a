using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Cirt.Console.Tests.Partners;

/// <summary>
/// What a coordinator receives from a partner CIRT, as files in a temporary folder: its public
/// signing key (PEM, ECDSA P-256) and the API key it issued to us.
/// </summary>
public sealed class PartnerFiles : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cirt-partner-files-" + Guid.NewGuid().ToString("N"));

    public PartnerFiles()
    {
        Directory.CreateDirectory(_folder);
        OutboundKeyFile = Path.Combine(_folder, "issued-to-us.key");
        File.WriteAllText(OutboundKeyFile, OutboundKey + "\n");
    }

    /// <summary>The API key the partner issued to us: it must never be shown back.</summary>
    public string OutboundKey { get; } = "cirt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string OutboundKeyFile { get; }

    /// <summary>Writes a new public key of the partner to a file; returns the file and the key's fingerprint.</summary>
    public (string File, string Fingerprint) NewPublicKey(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = Path.Combine(_folder, name + ".pem");
        File.WriteAllText(file, key.ExportSubjectPublicKeyInfoPem());
        return (file, Fingerprint(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>
    /// "cirt partners register" for <paramref name="partnerId"/> with a new key, our key for it, an
    /// endpoint where nothing listens (deliveries wait, retrying) and <paramref name="agreement"/>.
    /// </summary>
    public string[] Register(string partnerId, params string[] agreement) =>
    [
        "partners", "register", partnerId, "--name", "CERT " + partnerId, "--country", "DE", "--endpoint", NowhereUrl(),
        "--public-key-file", NewPublicKey(partnerId).File, "--outbound-key-file", OutboundKeyFile, .. agreement,
    ];

    /// <summary>SHA-256 of a DER SubjectPublicKeyInfo, lower-case hex, as partners compare it.</summary>
    public static string Fingerprint(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A loopback URL where nothing listens: deliveries to it fail and are retried.</summary>
    public static string NowhereUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
