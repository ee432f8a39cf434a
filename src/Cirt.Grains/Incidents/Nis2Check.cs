namespace Cirt.Grains.Incidents;

/// <summary>
/// The outcome of a periodic look at an incident's deadlines: the deadlines now, those newly
/// escalated as overdue, and a note when the NIS2 obligations changed shape (a progress report
/// falling due instead of the final report).
/// </summary>
public sealed record Nis2Check(Deadline[] Deadlines, Deadline[] Escalated, string Note)
{
    /// <summary>Whether anything changed, so that the incident must be saved.</summary>
    public bool Changed => Escalated.Length > 0 || Note.Length > 0;
}
