using System.Globalization;
using System.Text;

namespace Cirt.Server.Api;

/// <summary>Opaque page tokens for offset paging.</summary>
public static class PageToken
{
    private const string Prefix = "offset:";

    public static string Next(int offset, int pageSize, int total) =>
        offset + pageSize < total ? Convert.ToBase64String(Encoding.ASCII.GetBytes(Prefix + (offset + pageSize).ToString(CultureInfo.InvariantCulture))) : "";

    /// <summary>The offset a token stands for; INVALID_ARGUMENT when it is not one of ours.</summary>
    public static int Offset(string token)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
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
