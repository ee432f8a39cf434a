using System.Globalization;
using System.Text.RegularExpressions;

namespace Cirt.Grains.Incidents;

/// <summary>Human-readable incident tracking ids: CIRT-YYYY-NNNNNN.</summary>
public static partial class TrackingIds
{
    public const string Prefix = "CIRT";

    public static string Format(int year, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{year:D4}-{number:D6}");

    public static bool IsValid(string trackingId) => Pattern().IsMatch(trackingId);

    [GeneratedRegex("^CIRT-[0-9]{4}-[0-9]{6,12}\\z")]
    private static partial Regex Pattern();
}
