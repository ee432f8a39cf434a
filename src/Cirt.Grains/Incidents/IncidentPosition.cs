namespace Cirt.Grains.Incidents;

/// <summary>
/// Where a page of the incident queue ended: the last incident's sort key (its severity, the
/// reporter's claim, when it was reported, to the millisecond) and its tracking id, which makes the
/// position unique. The next page starts after it (keyset paging), so a page costs what it holds,
/// however deep, and an incident that did not move between pages is never skipped nor repeated.
/// </summary>
public sealed record IncidentPosition(Severity Severity, Severity ReportedSeverity, long ReportedAtMs, string TrackingId)
{
    /// <summary>The position of <paramref name="incident"/>.</summary>
    public static IncidentPosition Of(IncidentSummary incident) =>
        new(incident.Severity, incident.ReportedSeverity, incident.ReportedAt.ToUnixTimeMilliseconds(), incident.TrackingId);

    /// <summary>Negative when <paramref name="a"/> comes first in <paramref name="order"/>, positive when <paramref name="b"/> does.</summary>
    public static int Compare(IncidentPosition a, IncidentPosition b, IncidentOrder order)
    {
        // Every key descending: the most severe, the newest and the highest tracking id first.
        if (order == IncidentOrder.MostSevereFirst)
        {
            var severity = ((int)b.Severity).CompareTo((int)a.Severity);
            if (severity != 0)
            {
                return severity;
            }

            var claimed = ((int)b.ReportedSeverity).CompareTo((int)a.ReportedSeverity);
            if (claimed != 0)
            {
                return claimed;
            }
        }

        var at = b.ReportedAtMs.CompareTo(a.ReportedAtMs);
        return at != 0 ? at : string.CompareOrdinal(b.TrackingId, a.TrackingId);
    }
}
