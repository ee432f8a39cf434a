namespace Cirt.Grains.Incidents;

/// <summary>A deadline running on an incident. Its status depends on when it is looked at.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Deadline")]
public sealed record Deadline(
    [property: Id(0)] DeadlineKind Kind,
    [property: Id(1)] DateTimeOffset DueAt,
    [property: Id(2)] DateTimeOffset? MetAt,
    [property: Id(3)] string Basis,
    [property: Id(4)] DateTimeOffset? EscalatedAt = null)
{
    public DeadlineStatus StatusAt(DateTimeOffset now) => MetAt switch
    {
        { } met when met <= DueAt => DeadlineStatus.Met,
        not null => DeadlineStatus.MetLate,
        null when now > DueAt => DeadlineStatus.Overdue,
        _ => DeadlineStatus.Pending,
    };
}
