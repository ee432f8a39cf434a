namespace Cirt.Grains.Incidents;

/// <summary>
/// The outcome of a periodic look at an incident's deadlines: the deadlines now, those newly
/// escalated as overdue, and a note when the NIS2 obligations changed shape (a progress report
/// falling due instead of the final report).
/// </summary>
/// <param name="Changed">Whether any deadline changed, so that the incident must be saved.</param>
public sealed record Nis2Check(Deadline[] Deadlines, Deadline[] Escalated, string Note, bool Changed);
