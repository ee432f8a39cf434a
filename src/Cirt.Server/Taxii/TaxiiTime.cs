using System.Globalization;
using System.Text.RegularExpressions;

namespace Cirt.Server.Taxii;

/// <summary>TAXII timestamps: RFC 3339 in UTC ("Z"); we write date_added with microseconds.</summary>
public static partial class TaxiiTime
{
    public static string Format(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an RFC 3339 UTC timestamp with any number of fractional digits (or none); beyond seven they are cut.</summary>
    public static bool TryParse(string text, out DateTimeOffset at)
    {
        at = default;
        var match = TimestampPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        var normalised = match.Groups["seconds"].Value + "." + (fraction.Length >= 7 ? fraction[..7] : fraction.PadRight(7, '0')) + "Z";
        return DateTimeOffset.TryParseExact(
            normalised, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    [GeneratedRegex(@"^(?<seconds>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.(?<fraction>\d{1,20}))?Z\z")]
    private static partial Regex TimestampPattern();
}
