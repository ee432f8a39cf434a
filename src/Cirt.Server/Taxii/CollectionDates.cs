namespace Cirt.Server.Taxii;

/// <summary>
/// The dates a TAXII collection stores: microseconds since the Unix epoch, UTC, and the rule that dates
/// messages new to a collection (both federation store adapters use it).
/// </summary>
public static class CollectionDates
{
    public static long ToMicroseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);

    /// <summary>
    /// The dates of <paramref name="undated"/> (in queue order) entering a collection whose last date
    /// is <paramref name="last"/>: a message queued directly at its queue time, one approved after it
    /// was held at <paramref name="now"/>; each after the one before, so never before a date given.
    /// </summary>
    public static IEnumerable<(string MessageId, long DateAdded)> DatesAdded(
        IEnumerable<(string MessageId, long QueuedAtMilliseconds, bool Approved)> undated, long last, DateTimeOffset now)
    {
        var at = ToMicroseconds(now);
        foreach (var message in undated)
        {
            var sendableAt = message.Approved ? at : message.QueuedAtMilliseconds * 1_000;
            last = Math.Max(sendableAt, last + 1);
            yield return (message.MessageId, last);
        }
    }
}
