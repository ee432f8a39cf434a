namespace Cirt.Grains.Incidents;

/// <summary>
/// Where a page of tasks ended: the last task's due time in milliseconds (<see cref="long.MaxValue"/>
/// for a task without one, so those come last), incident and number; the next page starts after it.
/// </summary>
public sealed record TaskPosition(long DueKey, string TrackingId, int Number)
{
    /// <summary>The sort key of a task's due time: its milliseconds, or <see cref="long.MaxValue"/> when it has none.</summary>
    public static long DueKeyOf(IncidentTask task) => task.DueAt?.ToUnixTimeMilliseconds() ?? long.MaxValue;

    /// <summary>The position of <paramref name="row"/>.</summary>
    public static TaskPosition Of(TaskRow row) => new(DueKeyOf(row.Task), row.Incident.TrackingId, row.Task.Number);

    /// <summary>Negative when <paramref name="a"/> comes first (soonest due first).</summary>
    public static int Compare(TaskPosition a, TaskPosition b)
    {
        var due = a.DueKey.CompareTo(b.DueKey);
        if (due != 0)
        {
            return due;
        }

        var incident = string.CompareOrdinal(a.TrackingId, b.TrackingId);
        return incident != 0 ? incident : a.Number.CompareTo(b.Number);
    }
}
