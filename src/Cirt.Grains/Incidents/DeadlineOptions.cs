namespace Cirt.Grains.Incidents;

/// <summary>How deadlines are watched (configuration section Cirt:Deadlines).</summary>
public sealed class DeadlineOptions
{
    public const string Section = "Cirt:Deadlines";

    /// <summary>
    /// How often an incident with running deadlines checks them (an Orleans reminder, durable
    /// across restarts): an overdue stage escalates at most this long after it fell due.
    /// </summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
