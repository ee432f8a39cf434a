using System.Globalization;

namespace Cirt.Server.Security;

/// <summary>
/// Why a call was refused by its key's storage quota: the quota, what the key stored within the
/// window, what the call would add, and when enough of it frees for the call to fit.
/// </summary>
public sealed record StorageRefusal(long QuotaBytes, TimeSpan Window, long UsedBytes, long RequestBytes, DateTimeOffset Now, DateTimeOffset FreesAt)
{
    /// <summary>How long the caller should wait: at least a second.</summary>
    public TimeSpan RetryAfter => FreesAt - Now < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : FreesAt - Now;

    /// <summary>The whole seconds to wait, rounded up (the retry-after header).</summary>
    public long RetryAfterSeconds => (long)Math.Ceiling(RetryAfter.TotalSeconds);

    /// <summary>One line for the caller: the quota, what is used, what the call adds, when it frees.</summary>
    public string Message =>
        string.Create(CultureInfo.InvariantCulture,
            $"Storage quota of this key reached: it may store {QuotaBytes:N0} bytes per {WindowText(Window)}; it stored {UsedBytes:N0} in the last {WindowText(Window)} and this call adds {RequestBytes:N0}. ")
        + string.Create(CultureInfo.InvariantCulture,
            $"Nothing was stored. Enough frees at {FreesAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: retry after {RetryAfterSeconds} s, or ask the CIRT to raise Cirt:Security:StorageQuotaBytes.");

    /// <summary>"24 h", "90 min": the window as people say it.</summary>
    public static string WindowText(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerHour == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)window.TotalHours} h")
            : string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0.##} min");
}
