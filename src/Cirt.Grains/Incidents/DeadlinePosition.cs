namespace Cirt.Grains.Incidents;

/// <summary>Where a page of deadlines ended: the last deadline's due time (milliseconds), incident and kind; the next page starts after it.</summary>
public sealed record DeadlinePosition(long DueAtMs, string TrackingId, DeadlineKind Kind)
{
    /// <summary>The position of <paramref name="row"/>.</summary>
    public static DeadlinePosition Of(DeadlineRow row) => new(row.Deadline.DueAt.ToUnixTimeMilliseconds(), row.Incident.TrackingId, row.Deadline.Kind);

    /// <summary>Negative when <paramref name="a"/> comes first (soonest due first).</summary>
    public static int Compare(DeadlinePosition a, DeadlinePosition b)
    {
        var due = a.DueAtMs.CompareTo(b.DueAtMs);
        if (due != 0)
        {
            return due;
        }

        var incident = string.CompareOrdinal(a.TrackingId, b.TrackingId);
        return incident != 0 ? incident : a.Kind.CompareTo(b.Kind);
    }
}
