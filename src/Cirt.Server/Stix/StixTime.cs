using System.Globalization;
using System.Text.RegularExpressions;

namespace Cirt.Server.Stix;

/// <summary>STIX timestamps: RFC 3339, always UTC ("Z").</summary>
public static partial class StixTime
{
    /// <summary>What we write: UTC with exactly three fractional digits, e.g. 2026-03-01T09:30:00.000Z.</summary>
    public static string Format(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads a STIX timestamp. With <paramref name="millisecondsExactly"/> (what we write) the
    /// fraction must have exactly three digits; otherwise any number of digits, or none. Either way it
    /// must end in "Z" and be a real date and time.
    /// </summary>
    public static bool TryParse(string text, bool millisecondsExactly, out DateTimeOffset at)
    {
        at = default;
        var match = TimestampPattern().Match(text);
        if (!match.Success || (millisecondsExactly && match.Groups["fraction"].Value.Length != 3))
        {
            return false;
        }

        // DateTimeOffset keeps seven fractional digits: more are cut, which changes nothing the rules compare.
        var fraction = match.Groups["fraction"].Value;
        var normalised = match.Groups["seconds"].Value + "." + (fraction.Length >= 7 ? fraction[..7] : fraction.PadRight(7, '0')) + "Z";
        return DateTimeOffset.TryParseExact(
            normalised, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    [GeneratedRegex(@"^(?<seconds>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.(?<fraction>\d+))?Z\z")]
    private static partial Regex TimestampPattern();
}
