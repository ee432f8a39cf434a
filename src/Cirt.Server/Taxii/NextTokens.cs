using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cirt.Server.Taxii;

/// <summary>
/// The <c>next</c> tokens of TAXII paging: the position of the last object served (keyset paging
/// over date added, id and version, so objects added meanwhile are neither skipped nor served
/// twice), signed with HMAC-SHA256 together with the collection and the request's filters. A token
/// changed by hand, taken to another collection, or used with other filters is refused, so a client
/// can only ever resume where the server left it.
/// </summary>
public sealed class NextTokens(byte[] key)
{
    private const int MacBytes = 16;

    public string Issue(Guid collection, string query, CollectionPosition after)
    {
        var position = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{after.DateAdded.UtcTicks}.{after.Version.UtcTicks}.{after.Id}"));
        return Base64Url.EncodeToString(position) + "." + Base64Url.EncodeToString(Mac(collection, query, position));
    }

    /// <summary>The position <paramref name="token"/> resumes after; false when it is not a token issued for this collection and query.</summary>
    public bool TryRead(string token, Guid collection, string query, out CollectionPosition after)
    {
        after = default;
        var parts = token.Split('.');
        if (parts.Length != 2 || parts[0].Length > 2048)
        {
            return false;
        }

        byte[] position;
        byte[] mac;
        try
        {
            position = Base64Url.DecodeFromChars(parts[0]);
            mac = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(collection, query, position)))
        {
            return false;
        }

        var fields = Encoding.UTF8.GetString(position).Split('.', 3);
        if (fields.Length != 3
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var dateAdded)
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || dateAdded > DateTimeOffset.MaxValue.UtcTicks || version > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        after = new CollectionPosition(new DateTimeOffset(dateAdded, TimeSpan.Zero), fields[2], new DateTimeOffset(version, TimeSpan.Zero));
        return true;
    }

    private byte[] Mac(Guid collection, string query, byte[] position)
    {
        var signed = Encoding.UTF8.GetBytes($"cirt-taxii-next\n{collection:D}\n{query}\n").Concat(position).ToArray();
        return HMACSHA256.HashData(key, signed)[..MacBytes];
    }
}
