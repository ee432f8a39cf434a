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

    /// <summary>Triage SLA for an incident reported as critical.</summary>
    public TimeSpan TriageCritical { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Triage SLA for an incident reported as high.</summary>
    public TimeSpan TriageHigh { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Triage SLA for an incident reported as medium, or without a severity.</summary>
    public TimeSpan TriageMedium { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Triage SLA for an incident reported as low.</summary>
    public TimeSpan TriageLow { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The triage deadline of an incident reported at <paramref name="reportedAt"/> with <paramref name="severity"/>.</summary>
    public Deadline TriageDeadline(Severity severity, DateTimeOffset reportedAt)
    {
        var (within, label) = severity switch
        {
            Severity.Critical => (TriageCritical, "critical"),
            Severity.High => (TriageHigh, "high"),
            Severity.Low => (TriageLow, "low"),
            Severity.Medium => (TriageMedium, "medium"),
            _ => (TriageMedium, "no severity given"),
        };
        return new Deadline(DeadlineKind.Triage, reportedAt + within, null, $"triage SLA: {Hours(within)} for {label}");
    }

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(CheckPeriod), CheckPeriod), (nameof(TriageCritical), TriageCritical), (nameof(TriageHigh), TriageHigh),
                     (nameof(TriageMedium), TriageMedium), (nameof(TriageLow), TriageLow),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name} must be longer than zero (it is {value}).";
            }
        }
    }

    private static string Hours(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{span.TotalMinutes:0} min";
}
