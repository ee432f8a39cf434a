using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cirt.Server.Api;

/// <summary>
/// Page tokens of the keyset-paged lists (ListIncidents, ListTasks, ListDeadlines): the position of
/// the last row served, signed with HMAC-SHA256 together with the query it answered (filters,
/// order and caller), under the server's <see cref="TokenSecret"/>. A token changed by hand, used
/// with other filters or by another caller, or issued by another server is refused with
/// INVALID_ARGUMENT on page_token, so a client can only ever resume where the server left it.
/// The position is readable by whoever holds the token (it names the last row's sort key, which
/// that caller was shown); it is opaque only in that clients must not build or change one.
/// </summary>
public sealed class SignedPageTokens(byte[] key)
{
    private const int MacBytes = 16;
    private const int MaxPositionChars = 1024;

    /// <summary>The token that resumes <paramref name="query"/> after <paramref name="position"/>.</summary>
    public string Issue(string query, string position)
    {
        var bytes = Encoding.UTF8.GetBytes(position);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(Mac(query, bytes));
    }

    /// <summary>
    /// The position <paramref name="token"/> resumes <paramref name="query"/> after: null for an
    /// empty token (the first page); INVALID_ARGUMENT on page_token when it is not a token this
    /// server issued for this query (old offset tokens included).
    /// </summary>
    public string? Read(string token, string query)
    {
        if (token.Length == 0)
        {
            return null;
        }

        if (TryRead(token, query, out var position))
        {
            return position;
        }

        Violations.ThrowOne("page_token", "is not a token returned by a previous call with the same filters, order and caller");
        return null;
    }

    private bool TryRead(string token, string query, out string position)
    {
        position = "";
        var parts = token.Split('.');
        if (parts.Length != 2 || parts[0].Length > MaxPositionChars)
        {
            return false;
        }

        byte[] bytes;
        byte[] mac;
        try
        {
            bytes = Base64Url.DecodeFromChars(parts[0]);
            mac = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(query, bytes)))
        {
            return false;
        }

        position = Encoding.UTF8.GetString(bytes);
        return true;
    }

    private byte[] Mac(string query, byte[] position)
    {
        // Labelled, so that no token of another kind signed with the same secret (TAXII's) passes here.
        var signed = Encoding.UTF8.GetBytes($"cirt-page\n{query}\n").Concat(position).ToArray();
        return HMACSHA256.HashData(key, signed)[..MacBytes];
    }
}
