using System.Globalization;
using Cirt.Console.Infrastructure;
using Cirt.Console.Partners;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace Cirt.Console.Incidents;

/// <summary>How incidents look in the terminal.</summary>
public static class IncidentView
{
    public static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Critical => "[bold red]critical[/]",
        Severity.High => "[red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        Severity.Low => "[green]low[/]",
        _ => "[grey]-[/]",
    };

    /// <summary>
    /// The CIRT's severity; before triage, the reporter's claim, marked as one (it is no assessment).
    /// </summary>
    public static string SeverityMarkup(Severity severity, Severity reported) =>
        severity != Severity.Unspecified ? SeverityMarkup(severity)
        : reported != Severity.Unspecified ? $"[grey]{Words.Of(reported)} (claimed)[/]"
        : SeverityMarkup(severity);

    public static Table Queue(IEnumerable<IncidentSummary> incidents)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Tracking id").NoWrap())
            .AddColumn(new TableColumn("Status").NoWrap())
            .AddColumn(new TableColumn("Severity").NoWrap())
            .AddColumn(new TableColumn("TLP").NoWrap())
            .AddColumn("Reporter")
            .AddColumn("Sectors")
            .AddColumn("Classification")
            .AddColumn("Assignee")
            .AddColumn(new TableColumn("Reported").NoWrap())
            .AddColumn("Title")
            .Optional("Classification", "Sectors", "Reporter", "Assignee", "TLP", "Reported");
        foreach (var i in incidents)
        {
            table.AddRow(
                Markup.Escape(i.TrackingId),
                Words.Of(i.Status),
                SeverityMarkup(i.Severity, i.ReportedSeverity),
                Words.Of(i.Tlp),
                i.OriginInstanceId.Length > 0 ? $"[blue]partner {Markup.Escape(i.OriginInstanceId)}[/]"
                : i.ReporterStakeholderId.Length > 0 ? Markup.Escape(i.ReporterStakeholderId) : "[grey]automated[/]",
                Markup.Escape(string.Join(", ", i.SectorCodes)),
                Markup.Escape(i.RsitClass.Length > 0 ? $"{i.RsitClass}/{i.RsitType}" : "-"),
                Markup.Escape(i.Assignee.Length > 0 ? i.Assignee : "-"),
                Times.Of(i.ReportedAt),
                (i.Exercise ? "[blue]EXERCISE[/] " : "") + Markup.Escape(i.Title));
        }

        return table;
    }

    public static void Render(IAnsiConsole console, Incident i)
    {
        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Fact(string name, string markup) => facts.AddRow($"[bold]{name}[/]", markup);
        Fact("Tracking id", Markup.Escape(i.TrackingId));
        Fact("Title", (i.Exercise ? "[bold blue]EXERCISE[/] " : "") + Markup.Escape(i.Title));
        Fact("Status", Words.Of(i.Status) + (i.DuplicateOf.Length > 0 ? Markup.Escape($" (of {i.DuplicateOf})") : ""));
        Fact("Severity", i.Severity != Severity.Unspecified
            ? SeverityMarkup(i.Severity) + (i.ReportedSeverity is not Severity.Unspecified && i.ReportedSeverity != i.Severity ? $" (the reporter said {Words.Of(i.ReportedSeverity)})" : "")
            : "[grey]not assessed yet (set at triage)[/]" + (i.ReportedSeverity != Severity.Unspecified ? $"; the reporter claims {Words.Of(i.ReportedSeverity)}" : ""));
        Fact("TLP", Words.Of(i.Tlp));
        Fact("Classification", Markup.Escape(i.RsitClass.Length > 0 ? $"{i.RsitClass}/{i.RsitType}" : "not yet classified"));
        Fact("Assignee", Markup.Escape(i.Assignee.Length > 0 ? i.Assignee : "-"));
        if (i.PartnerOrigin is not null)
        {
            Fact("From partner CIRT", Markup.Escape(PartnerView.Origin(i.PartnerOrigin)) + " [grey](its content comes from there; notes and status changes flow both ways)[/]");
        }
        else if (i.ReporterStakeholderId.Length > 0)
        {
            Fact("Reporter", Markup.Escape(i.ReporterStakeholderId));
        }
        else if (i.Origin == "ingest")
        {
            Fact("Reporter", "[grey]none: aggregated from automated events (sources below)[/]");
        }
        if (Contact(i.ReporterContact) is { Length: > 0 } contact)
        {
            Fact(ReporterContactLabel, Markup.Escape(contact));
        }

        Fact("Affected", Markup.Escape(string.Join(", ", i.AffectedStakeholderIds)));
        Fact("Sectors", Markup.Escape(string.Join(", ", i.SectorCodes)));
        if (i.ProposedAffectedStakeholderIds.Count > 0 || i.ProposedSectorCodes.Count > 0)
        {
            Fact("Proposed by the reporter", Markup.Escape(string.Join("; ", new[]
            {
                i.ProposedAffectedStakeholderIds.Count > 0 ? "affected " + string.Join(", ", i.ProposedAffectedStakeholderIds) : "",
                i.ProposedSectorCodes.Count > 0 ? "sectors " + string.Join(", ", i.ProposedSectorCodes) : "",
            }.Where(part => part.Length > 0))) + " [grey](not affected until confirmed at triage: --confirm-proposed)[/]");
        }

        Fact("Significant (NIS2)", i.Significant ? "yes" : "no");
        if (i.AffectsTrustServices)
        {
            Fact("Trust services", "affected (NIS2 Art. 23(4)(b): a trust service provider notifies within 24 h)");
        }

        if (i.Origin == "ingest")
        {
            Fact("Automated events", $"{i.EventCount:N0} ({i.DuplicateCount:N0} duplicates)");
            if (i.AutomatedSources.Count > 0)
            {
                Fact("Sources", string.Join("\n", i.AutomatedSources.Select(source =>
                    $"{Markup.Escape(source.Feed)}" + (source.Producer.Length > 0 ? $" from {Markup.Escape(source.Producer)}" : "") + $": {source.Events:N0} event(s)")));
            }
        }

        if (i.LinkedTrackingIds.Count > 0)
        {
            Fact("Linked incidents", Markup.Escape(string.Join(", ", i.LinkedTrackingIds)));
        }

        if (i.PartnerShares.Count > 0)
        {
            Fact("Shared with partner CIRTs", Markup.Escape(string.Join(", ", i.PartnerShares.Select(p => $"{p.PartnerId} ({Times.Of(p.SharedAt)}, by {p.SharedBy})"))));
        }

        Fact("Aware at", Times.Of(i.AwareAt));
        Fact("Reported at", Times.Of(i.ReportedAt));
        Fact("Version", i.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Fact("Next", Markup.Escape(i.AllowedTransitions.Count == 0 ? "none (final)" : string.Join(", ", i.AllowedTransitions.Select(Words.Of))));
        console.Write(Tables.Box(facts, "Incident"));
        console.WriteLine();
        console.Write(Tables.Heading("Description"));
        console.WriteLine(i.Description);

        if (i.Deadlines.Count > 0)
        {
            console.Write(Tables.Heading("Deadlines"));
            console.Write(Deadlines(i.Deadlines));
        }

        if (i.Tasks.Count > 0)
        {
            var tasks = Tables.Compact().AddColumn("#").AddColumn("Task").AddColumn("For").AddColumn(new TableColumn("Due").NoWrap()).AddColumn("Status");
            foreach (var t in i.Tasks)
            {
                tasks.AddRow(t.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(t.Title), Markup.Escape(Assignee(t)), Times.Of(t.DueAt), Status(t));
            }

            console.Write(Tables.Heading($"Tasks ({i.Tasks.Count(t => t.Status is IncidentTaskStatus.Open or IncidentTaskStatus.InProgress)} open of {i.Tasks.Count})"));
            console.Write(tasks);
        }

        if (i.AffectedStakeholderIds.Count > 0 && i.Status is IncidentStatus.Recovering or IncidentStatus.Resolved or IncidentStatus.Closed || i.Restorations.Count > 0)
        {
            var restoration = Tables.Compact().AddColumn("Stakeholder").AddColumn("Restored").AddColumn(new TableColumn("Since").NoWrap()).AddColumn("By").AddColumn("Note");
            foreach (var id in i.AffectedStakeholderIds)
            {
                var r = i.Restorations.FirstOrDefault(x => x.StakeholderId == id);
                restoration.AddRow(Markup.Escape(id), r is null ? "[yellow]not reported[/]" : r.Restored ? "[green]yes[/]" : "[red]no[/]",
                    Times.Of(r?.At), Markup.Escape(r is null ? "" : r.OnBehalf ? $"{r.By} (on its behalf)" : r.By), Markup.Escape(r?.Note ?? ""));
            }

            console.Write(Tables.Heading("Restoration"));
            console.Write(restoration);
        }

        foreach (var referral in i.Referrals)
        {
            console.MarkupLineInterpolated($"[bold]Referred to law enforcement:[/] {referral.Agency}, reference {referral.Reference} ({referral.By}, {Times.Of(referral.At)})");
        }

        if (i.Review is not null)
        {
            WriteReview(console, i);
        }

        if (i.Nis2Reports.Count > 0)
        {
            var reports = Tables.Compact().AddColumn("Stage").AddColumn(new TableColumn("Received").NoWrap()).AddColumn("From").AddColumn("Summary");
            foreach (var r in i.Nis2Reports)
            {
                reports.AddRow(Stage(r.Stage), Times.Of(r.ReceivedAt), Markup.Escape(r.SubmittedBy), Markup.Escape(r.Summary));
            }

            console.Write(Tables.Heading($"NIS2 reports received ({i.Nis2Reports.Count})"));
            console.Write(reports);
        }

        if (i.Observables.Count > 0)
        {
            var observables = Tables.Compact().AddColumn("Type").AddColumn("Value").AddColumn("Comment");
            foreach (var o in i.Observables)
            {
                observables.AddRow(Words.Of(o.Type), Markup.Escape(o.Value), Markup.Escape(o.Comment));
            }

            console.Write(Tables.Heading($"Observables ({i.Observables.Count})"));
            console.Write(observables);
        }

        var timeline = Tables.Compact()
            .AddColumn(new TableColumn("#").RightAligned()).AddColumn(new TableColumn("When").NoWrap())
            .AddColumn(new TableColumn("Who").NoWrap()).AddColumn(new TableColumn("What").NoWrap()).AddColumn("Details");
        foreach (var e in i.Timeline)
        {
            timeline.AddRow(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Times.Of(e.At),
                Markup.Escape(e.Actor), Markup.Escape(e.Kind) + (e.Visibility == TimelineVisibility.Internal ? " [yellow](internal)[/]" : ""),
                Markup.Escape(e.Summary));
        }

        console.Write(Tables.Heading(TimelineTitle(i)));
        console.Write(timeline);
        if (i.Timeline.Count < i.TimelineTotal)
        {
            console.MarkupLine($"{i.TimelineTotal - i.Timeline.Count} older entries not shown: [bold]--all-timeline[/] shows them.");
        }

        if (i.Timeline.Any(e => e.Visibility == TimelineVisibility.Internal))
        {
            console.MarkupLine("[yellow](internal)[/]: CIRT staff only; every other entry is shared with the organisations that see the incident.");
        }
    }

    public static Table Deadlines(IEnumerable<Deadline> deadlines)
    {
        var table = Tables.Compact()
            .AddColumn("Stage").AddColumn(new TableColumn("Due").NoWrap()).AddColumn("Status").AddColumn(new TableColumn("Met").NoWrap())
            .AddColumn(new TableColumn("Escalated").NoWrap()).AddColumn("Basis");
        foreach (var d in deadlines)
        {
            table.AddRow(Stage(d), Times.Of(d.DueAt), Status(d.Status), Times.Of(d.MetAt), Times.Of(d.EscalatedAt), Markup.Escape(d.Basis));
        }

        return table;
    }

    /// <summary>The post-incident review, under a rule.</summary>
    public static void WriteReview(IAnsiConsole console, Incident i)
    {
        var r = i.Review;
        console.Write(Tables.Heading($"Post-incident review ({Markup.Escape(r.RecordedBy)}, {Times.Of(r.RecordedAt)})"));
        var table = Tables.Facts().AddColumn("").AddColumn("");
        table.AddRow("[bold]What happened[/]", Markup.Escape(r.WhatHappened));
        table.AddRow("[bold]Root cause[/]", Markup.Escape(r.RootCause));
        table.AddRow("[bold]What worked[/]", Markup.Escape(r.WhatWorked));
        table.AddRow("[bold]Lessons[/]", Markup.Escape(r.Lessons));
        table.AddRow("[bold]Follow-up[/]", Markup.Escape(string.Join("\n", r.FollowUpActions.Select(a => "- " + a))));
        console.Write(table);
    }

    /// <summary>A NIS2 stage with its window, as markup.</summary>
    public static string Stage(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Nis2EarlyWarning => "early warning (24 h)",
        DeadlineKind.Nis2Notification => "incident notification (72 h)",
        DeadlineKind.Nis2IntermediateReport => "intermediate report (requested)",
        DeadlineKind.Nis2ProgressReport => "progress report (still handled)",
        DeadlineKind.Nis2FinalReport => "final report (1 month)",
        DeadlineKind.Triage => "triage (SLA)",
        _ => Words.Of(kind),
    };

    /// <summary>
    /// A deadline's stage with its window, as markup. The notification's window is 72 h, or 24 h for
    /// a trust service provider (NIS2 Art. 23(4)(b)): the server's basis starts with it.
    /// </summary>
    public static string Stage(Deadline deadline) =>
        deadline.Kind == DeadlineKind.Nis2Notification && deadline.Basis.StartsWith("24 h", StringComparison.Ordinal)
            ? "incident notification (24 h, trust services)"
            : Stage(deadline.Kind);

    /// <summary>Who a task is for, as people read it.</summary>
    public static string Assignee(IncidentTask task) =>
        task.AssigneeStakeholderId.Length > 0 ? task.AssigneeStakeholderId
        : task.AssigneeAnalyst.Length > 0 ? "analyst " + task.AssigneeAnalyst
        : "the CIRT";

    /// <summary>A task's status, as markup: overdue stands out.</summary>
    public static string Status(IncidentTask task) => task.Overdue
        ? $"[bold red]overdue[/] ({Words.Of(task.Status)})"
        : task.Status == IncidentTaskStatus.Done ? "[green]done[/]" : Words.Of(task.Status);

    /// <summary>A deadline's status, as markup: overdue stands out.</summary>
    public static string Status(DeadlineStatus status) => status switch
    {
        DeadlineStatus.Overdue => "[bold red]overdue[/]",
        DeadlineStatus.MetLate => "[yellow]met late[/]",
        DeadlineStatus.Met => "[green]met[/]",
        _ => "pending",
    };

    /// <summary>"Timeline (12)", or "Timeline (newest 100 of 812)" when not all of it is shown.</summary>
    public static string TimelineTitle(Incident i) =>
        i.Timeline.Count < i.TimelineTotal ? $"Timeline (newest {i.Timeline.Count} of {i.TimelineTotal})" : $"Timeline ({i.Timeline.Count})";

    /// <summary>How the reporter's contact is labelled wherever it is shown: what the reporter says, which the CIRT has not checked.</summary>
    public const string ReporterContactLabel = "Reporter contact (as given by the reporter)";

    private static string Contact(ReporterContact? c) =>
        c is null ? "" : string.Join(", ", new[] { c.Name, c.Email, c.Phone }.Where(x => x.Length > 0));

    /// <summary>A listing's total as a count: "at least N" when the server bounded what it counted (an overdue view over a very large queue).</summary>
    public static string Total(int total, bool isLowerBound) =>
        isLowerBound ? $"at least {total.ToString(CultureInfo.InvariantCulture)}" : total.ToString(CultureInfo.InvariantCulture);
}
