using System.Globalization;
using System.Text;

namespace Cirt.Server.Api;

/// <summary>Opaque tokens that carry one number behind a prefix naming what it counts (base64 of the text).</summary>
public static class NumberToken
{
    /// <summary>The token carrying <paramref name="number"/> behind <paramref name="prefix"/>.</summary>
    public static string Of(string prefix, long number) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(prefix + number.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The number <paramref name="token"/> carries behind <paramref name="prefix"/>; false when it is not such a token.</summary>
    public static bool TryRead(string token, string prefix, out int number)
    {
        var read = TryReadLong(token, prefix, out var wide) && wide <= int.MaxValue;
        number = read ? (int)wide : 0;
        return read;
    }

    /// <inheritdoc cref="TryRead(string, string, out int)"/>
    public static bool TryReadLong(string token, string prefix, out long number)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return true;
            }
        }
        catch (FormatException)
        {
        }

        number = 0;
        return false;
    }
}
