using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// The one way the console prints a time: ISO 8601 in UTC, to the minute (2026-12-01T01:30Z), or
/// to the second where seconds matter (2026-12-01T01:30:15Z); "-" for a time that is not set.
/// </summary>
public static class Times
{
    /// <summary>What is printed for a time that is not set.</summary>
    public const string None = "-";

    /// <summary><paramref name="at"/> to the minute, e.g. 2026-12-01T01:30Z.</summary>
    public static string Of(Timestamp? at) => at is null ? None : Of(at.ToDateTimeOffset());

    /// <summary><paramref name="at"/> to the minute, e.g. 2026-12-01T01:30Z.</summary>
    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    /// <summary><paramref name="at"/> to the second, e.g. 2026-12-01T01:30:15Z.</summary>
    public static string Precise(Timestamp? at) => at is null ? None : Precise(at.ToDateTimeOffset());

    /// <summary><paramref name="at"/> to the second, e.g. 2026-12-01T01:30:15Z.</summary>
    public static string Precise(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
