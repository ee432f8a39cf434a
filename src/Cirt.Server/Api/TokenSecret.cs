using System.Security.Cryptography;
using Cirt.Server.Federation;
using Cirt.Server.Storage;

namespace Cirt.Server.Api;

/// <summary>
/// The server's secret for signing the tokens it hands out to resume a listing: TAXII's
/// <c>next</c> tokens (<see cref="Taxii.NextTokens"/>) and the gRPC lists' page tokens
/// (<see cref="SignedPageTokens"/>), each under its own label. It lives in the data folder, in
/// <see cref="FileName"/> (mode 0600, created at the first start), so tokens hold across a restart
/// and a token from another server is refused; the Memory profile keeps one for the process only; the
/// cluster profile keeps one for the whole cluster in PostgreSQL (<see cref="ClusterSecrets"/>), so a
/// page token from one silo is resumed on any other.
/// </summary>
public sealed class TokenSecret(byte[] key)
{
    /// <summary>The file in the data folder holding the key (its historical name: TAXII signed with it first).</summary>
    public const string FileName = "taxii-next.key";

    public byte[] Key { get; } = key;

    /// <summary>
    /// The secret of the server configured by <paramref name="cirt"/>: read from its data folder, or
    /// created there; in the cluster profile, the cluster's (<paramref name="cluster"/>, required there).
    /// </summary>
    public static TokenSecret Load(CirtOptions cirt, ClusterSecrets? cluster = null)
    {
        if (cirt.Storage == StorageProfile.Cluster)
        {
            var shared = (cluster ?? throw new InvalidOperationException("The cluster profile keeps its token secret in PostgreSQL (ClusterSecrets)."))
                .ReadOrCreate(ClusterSecrets.PageTokenKey, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            return new TokenSecret(Convert.FromBase64String(shared));
        }

        if (cirt.Storage == StorageProfile.Memory)
        {
            // Nothing on disk: tokens hold as long as the process (and its data) does.
            return new TokenSecret(RandomNumberGenerator.GetBytes(32));
        }

        var keyFile = Path.Combine(Path.GetFullPath(cirt.DataDirectory), FileName);
        var key = SecretFile.ReadOrCreate(keyFile, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return new TokenSecret(Convert.FromBase64String(key.Trim()));
    }
}
