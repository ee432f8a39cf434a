using System.Security.Cryptography;
using System.Text;

namespace Cirt.Server.Taxii;

/// <summary>
/// A partner's collection id: a name-based UUID (version 5, RFC 9562) of its partner id in Cirt's own
/// namespace, so the id stays the same across restarts and instances without being stored anywhere.
/// </summary>
public static class TaxiiCollectionId
{
    /// <summary>The namespace of Cirt's TAXII collections (a random UUID, fixed once).</summary>
    public static readonly Guid Namespace = Guid.Parse("f783370d-a5d0-4c2e-9590-1a4f97ba8728");

    public static Guid For(string partnerId)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(partnerId)];
        Namespace.TryWriteBytes(input.AsSpan(0, 16), bigEndian: true, out _);
        Encoding.UTF8.GetBytes(partnerId, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
