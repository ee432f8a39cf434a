using Cirt.Grains.Common;

namespace Cirt.Grains.Incidents;

/// <summary>
/// A window of a timeline, as a response carries it: the newest entries before a point, at most a
/// page of them and <see cref="Limits.TimelinePageBytes"/> (always at least one), oldest first.
/// </summary>
/// <param name="Entries">The entries of the window, oldest first.</param>
/// <param name="Total">How many entries the whole timeline holds.</param>
/// <param name="OlderBefore">The sequence of the window's oldest entry when older ones remain (the next window ends before it); 0 when none do.</param>
public sealed record TimelineWindow(TimelineEntry[] Entries, int Total, int OlderBefore)
{
    /// <summary>
    /// The window of <paramref name="timeline"/> (in sequence order) ending before entry
    /// <paramref name="before"/> (0: at the newest), of at most <paramref name="pageSize"/> entries
    /// and <paramref name="maxBytes"/>.
    /// </summary>
    public static TimelineWindow Of(TimelineEntry[] timeline, int pageSize, int before = 0, int maxBytes = Limits.TimelinePageBytes)
    {
        var end = before <= 0 ? timeline.Length : Array.FindIndex(timeline, e => e.Sequence >= before) is var at and >= 0 ? at : timeline.Length;
        var start = end;
        var bytes = 0L;
        while (start > 0 && end - start < pageSize)
        {
            var cost = IncidentBudget.BytesOf(timeline[start - 1]);
            if (start < end && bytes + cost > maxBytes)
            {
                break;
            }

            bytes += cost;
            start--;
        }

        return new TimelineWindow(timeline[start..end], timeline.Length, start > 0 ? timeline[start].Sequence : 0);
    }
}
