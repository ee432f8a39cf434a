namespace Cirt.Grains.Incidents;

/// <summary>
/// The outcome of a periodic look at an incident's deadlines: the deadlines now, those newly
/// escalated as overdue, and a note when the NIS2 obligations changed shape (a progress report
/// falling due instead of the final report).
/// </summary>
/// <param name="Changed">Whether the look found something to record (an escalation, a progress report due), so that the incident is saved.</param>
public sealed record Nis2Check(Deadline[] Deadlines, Deadline[] Escalated, string Note, bool Changed);
