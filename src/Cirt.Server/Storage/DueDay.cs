namespace Cirt.Server.Storage;

/// <summary>
/// The UTC day a deadline or task falls due, as the counts of deploy/sql/sqlite/013-task-deadline-counts.sql
/// key them: Unix milliseconds divided by a day's (SQLite's integer division, which C#'s matches for
/// times after 1970).
/// </summary>
internal static class DueDay
{
    private const long DayMs = 86_400_000;

    /// <summary>The day <paramref name="at"/> falls on.</summary>
    public static long Of(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / DayMs;

    /// <summary>The first millisecond of the day <paramref name="at"/> falls on.</summary>
    public static long StartOf(DateTimeOffset at) => Of(at) * DayMs;
}
