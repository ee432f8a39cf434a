using Cirt.Grains.Common;

namespace Cirt.Server.Api;

/// <summary>Opaque page tokens for offset paging.</summary>
public static class PageToken
{
    private const string Prefix = "offset:";

    /// <summary>
    /// The largest offset a token may stand for: one from which a page of the largest size, and
    /// the offset after it, still fit in an int. Nothing Cirt lists comes near it, so a larger
    /// one is forged, and following it would overflow into a negative offset.
    /// </summary>
    public const int MaxOffset = int.MaxValue - Limits.MaxPageSize;

    /// <summary>The token of the page after the one at <paramref name="offset"/>; empty after the last page.</summary>
    public static string Next(int offset, int pageSize, int total)
    {
        var next = (long)offset + pageSize;
        return next < total ? NumberToken.Of(Prefix, next) : "";
    }

    /// <summary>The offset a token stands for; INVALID_ARGUMENT when it is not one of ours (or is past <see cref="MaxOffset"/>).</summary>
    public static int Offset(string token)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        if (NumberToken.TryRead(token, Prefix, out var offset) && offset <= MaxOffset)
        {
            return offset;
        }

        Violations.ThrowOne("page_token", "is not a token returned by a previous call");
        return 0;
    }

    /// <summary>The page size to use: <paramref name="defaultSize"/> when zero, INVALID_ARGUMENT when out of range.</summary>
    public static int Size(int requested, int defaultSize, int max)
    {
        if (requested == 0)
        {
            return defaultSize;
        }

        if (requested < 0 || requested > max)
        {
            Violations.ThrowOne("page_size", $"must be between 1 and {max}");
        }

        return requested;
    }
}
