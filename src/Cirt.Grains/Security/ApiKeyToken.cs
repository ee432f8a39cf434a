using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Cirt.Grains.Security;

/// <summary>
/// API keys as handed to people: "cirt_{key id}_{secret}". The key id names the key in listings
/// and logs; the secret (256 random bits) is shown once and stored only as its SHA-256 hash, which
/// is enough for a secret of that strength.
/// </summary>
public static partial class ApiKeyToken
{
    public const string Prefix = "cirt_";

    public static (string KeyId, string Token, string SecretHash) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (keyId, $"{Prefix}{keyId}_{secret}", Hash(secret));
    }

    /// <summary>Splits a token into key id and secret; false when it does not have the shape of one.</summary>
    public static bool TryParse(string token, out string keyId, out string secret)
    {
        var match = TokenPattern().Match(token);
        keyId = match.Success ? match.Groups[1].Value : "";
        secret = match.Success ? match.Groups[2].Value : "";
        return match.Success;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares hashes in constant time.</summary>
    public static bool Matches(string secretHash, string candidateSecret) =>
        CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(secretHash),
            System.Text.Encoding.ASCII.GetBytes(Hash(candidateSecret)));

    public static bool IsKeyId(string keyId) => KeyIdPattern().IsMatch(keyId);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^cirt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})\\z")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[0-9a-f]{16}\\z")]
    private static partial Regex KeyIdPattern();
}
