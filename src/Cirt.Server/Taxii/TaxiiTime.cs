using System.Globalization;
using Cirt.Server.Stix;

namespace Cirt.Server.Taxii;

/// <summary>TAXII timestamps: RFC 3339 in UTC ("Z"), as STIX's; we write date_added with microseconds.</summary>
public static class TaxiiTime
{
    public static string Format(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an RFC 3339 UTC timestamp with any number of fractional digits (or none).</summary>
    public static bool TryParse(string text, out DateTimeOffset at) => StixTime.TryParse(text, millisecondsExactly: false, out at);
}
