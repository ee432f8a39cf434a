using Cirt.Grains.Common;

namespace Cirt.Grains.Incidents;

/// <summary>
/// When the NIS2 final report is due, given how the handling of the incident goes (Directive (EU)
/// 2022/2555, Art. 23(4)(d) and (e)).
/// <para>
/// The model. Let F be the final report's due time: one month after the incident notification
/// (Art. 23(4)(d); until the notification arrives, provisionally one month after the
/// notification's own deadline). An incident is <em>handled</em> while the CIRT has it resolved
/// or closed (<see cref="IsHandled"/>); it is being handled again once reopened
/// (resolved → responding).
/// </para>
/// <list type="bullet">
/// <item>Handled at F, or the final report already received: the final report is due at F. Once F
/// has passed, this is decided for good (the basis says so, <see cref="HandledWhenDue"/>): a
/// reopening afterwards does not turn a final report that was due into a progress report.</item>
/// <item>Still being handled at F, the final report not received (Art. 23(4)(e)): the obligation
/// due at F becomes a progress report (<see cref="DeadlineKind.Nis2ProgressReport"/>, due at F;
/// met by the first progress report received after the notification, one sent before F included,
/// and escalated like any other stage when overdue). The final report then has no due time: it is
/// not listed among the deadlines while the incident is being handled.</item>
/// <item>Once the incident is resolved at H, the final report is due at H + one month. Reopened
/// before the final report arrives, that due time is withdrawn until the next resolution: "within
/// one month of the handling" counts from the end of the handling, which a reopening moves.</item>
/// <item>A final report received at any time ends the reporting (the entity may finish its own
/// handling before the CIRT resolves the incident). Received while it has no due time, it is
/// recorded as met on arrival.</item>
/// </list>
/// <para>
/// "At F" is exact: <see cref="Advance"/> decides with the status the incident had when F passed,
/// because every change of status first advances the clock with the status it is leaving
/// (<see cref="OnStatusChanged"/>), and the periodic check and every report advance it with the
/// current one. A Deadline is pending at its due time and overdue after it, so an incident
/// resolved exactly at F counts as handled at F.
/// </para>
/// </summary>
public static class Nis2FinalReportRule
{
    /// <summary>
    /// Appended to the final report's basis once its due time passed with the incident handled: the
    /// decision at F is made and kept, even if the incident is reopened afterwards.
    /// </summary>
    public const string HandledWhenDue = "; the incident was handled when it fell due (NIS2 Art. 23(4)(d))";

    private const string ProgressBasis =
        "the final report's due time, the incident still being handled (NIS2 Art. 23(4)(e)); the final report is due one month after it is resolved";

    /// <summary>
    /// Whether the incident counts as handled for Art. 23(4)(e): the CIRT resolved it (and perhaps
    /// closed it since: closing follows resolving). Every other status means it is still being
    /// handled.
    /// </summary>
    public static bool IsHandled(IncidentStatus status) => status is IncidentStatus.Resolved or IncidentStatus.Closed;

    /// <summary>
    /// Brings the final report's obligation up to <paramref name="now"/>, the incident having been
    /// <paramref name="handled"/> (or not) since the last step: once the final report's due time
    /// has passed without it, an incident not handled then owes a progress report at that time
    /// instead (met at <paramref name="progressReceivedAt"/> if one had been received), and its
    /// final report waits for the end of the handling; an incident handled then keeps its final
    /// report due then, and the basis records that this was decided (<see cref="HandledWhenDue"/>).
    /// Decides once: changes nothing before the due time, nor after the decision.
    /// </summary>
    public static Nis2Step Advance(Deadline[] deadlines, bool handled, DateTimeOffset? progressReceivedAt, DateTimeOffset now)
    {
        var final = deadlines.FirstOrDefault(d => d.Kind == DeadlineKind.Nis2FinalReport);
        if (final is null || final.MetAt is not null || now <= final.DueAt || HasProgressReport(deadlines)
            || final.Basis.EndsWith(HandledWhenDue, StringComparison.Ordinal))
        {
            return new Nis2Step(deadlines, "");
        }

        if (handled)
        {
            return new Nis2Step(deadlines.Select(d => d.Kind == DeadlineKind.Nis2FinalReport ? d with { Basis = d.Basis + HandledWhenDue } : d).ToArray(), "");
        }

        var progress = new Deadline(DeadlineKind.Nis2ProgressReport, final.DueAt, progressReceivedAt, ProgressBasis);
        var note = $"NIS2: still being handled when the final report fell due ({Words.Time(final.DueAt)}): a progress report is due at that time instead (Art. 23(4)(e)), "
                   + (progressReceivedAt is { } at ? $"received {Words.Time(at)}" : "not received yet")
                   + "; the final report is due one month after the incident is resolved";
        return new Nis2Step(deadlines.Select(d => d.Kind == DeadlineKind.Nis2FinalReport ? progress : d).ToArray(), note);
    }

    /// <summary>
    /// The deadlines after the incident moved from <paramref name="from"/> to <paramref name="to"/>
    /// at <paramref name="at"/>: first advanced with the status it leaves (it held until now), then,
    /// when the handling ends, the final report falls due one month later; when it starts again, a
    /// final report not yet received loses its due time until the next resolution.
    /// </summary>
    public static Nis2Step OnStatusChanged(
        Deadline[] deadlines, IncidentStatus from, IncidentStatus to, DateTimeOffset at, DateTimeOffset? progressReceivedAt)
    {
        var advanced = Advance(deadlines, IsHandled(from), progressReceivedAt, at);
        var changed = (IsHandled(from), IsHandled(to)) switch
        {
            (false, true) => OnHandled(advanced.Deadlines, at),
            (true, false) => OnReopened(advanced.Deadlines),
            _ => new Nis2Step(advanced.Deadlines, ""),
        };
        return changed with { Note = advanced.NoteWith(changed.Note) };
    }

    /// <summary>
    /// The incident was handled at <paramref name="handledAt"/>: a final report that was waiting
    /// for the end of the handling is now due one calendar month later.
    /// </summary>
    public static Nis2Step OnHandled(Deadline[] deadlines, DateTimeOffset handledAt)
    {
        if (!HasProgressReport(deadlines) || deadlines.Any(d => d.Kind == DeadlineKind.Nis2FinalReport))
        {
            return new Nis2Step(deadlines, "");
        }

        var due = Nis2Clock.FinalReportDue(handledAt);
        var final = new Deadline(DeadlineKind.Nis2FinalReport, due, null,
            $"one month after the incident was handled (resolved {Words.Time(handledAt)}; NIS2 Art. 23(4)(e))");
        return new Nis2Step([.. deadlines, final], $"NIS2 final report now due {Words.Time(due)}, one month after the handling of the incident");
    }

    /// <summary>
    /// The incident is being handled again: a final report due from the end of the earlier handling
    /// and not yet received waits for the next resolution.
    /// </summary>
    public static Nis2Step OnReopened(Deadline[] deadlines)
    {
        var final = deadlines.FirstOrDefault(d => d.Kind == DeadlineKind.Nis2FinalReport);
        if (!HasProgressReport(deadlines) || final is null || final.MetAt is not null)
        {
            return new Nis2Step(deadlines, "");
        }

        return new Nis2Step(deadlines.Where(d => d.Kind != DeadlineKind.Nis2FinalReport).ToArray(),
            $"NIS2 final report no longer due {Words.Time(final.DueAt)}: the incident is being handled again; it is due one month after it is resolved");
    }

    /// <summary>
    /// A final report received at <paramref name="receivedAt"/> while it has no due time (after a
    /// progress report fell due, before the incident is handled): recorded as met on arrival.
    /// Returns the deadlines unchanged when the final report has a deadline of its own.
    /// </summary>
    public static Deadline[] OnFinalReportWithoutDueTime(Deadline[] deadlines, DateTimeOffset receivedAt) =>
        HasProgressReport(deadlines) && !deadlines.Any(d => d.Kind == DeadlineKind.Nis2FinalReport)
            ? [.. deadlines, new Deadline(DeadlineKind.Nis2FinalReport, receivedAt, receivedAt, "received before the incident was handled (due one month after it is; NIS2 Art. 23(4)(e))")]
            : deadlines;

    /// <summary>Whether the final report already gave way to a progress report (Art. 23(4)(e) applied).</summary>
    public static bool HasProgressReport(Deadline[] deadlines) => deadlines.Any(d => d.Kind == DeadlineKind.Nis2ProgressReport);
}
