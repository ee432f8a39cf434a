using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cirt.Console.Triage;

/// <summary>
/// What the live triage screen shows, drawn to fit <c>width</c> × <c>height</c> (80×24 and up):
/// a header with the filter and the counts, the queue most urgent first with the selected row
/// marked, each row coloured by severity and by how its next deadline stands (overdue, due within
/// the hour), a countdown to that deadline, and the keys.
/// </summary>
public static class TriageScreen
{
    /// <summary>Lines around the rows: header, the table's head, rule and foot, message, keys.</summary>
    private const int Chrome = 7;

    public static IRenderable Render(TriageQueue queue, DateTimeOffset now, int width, int height, string filter, string message)
    {
        var rows = queue.Rows(now);
        var selected = queue.Selected(now);
        var room = Math.Max(1, height - Chrome);
        var at = selected is null ? 0 : rows.ToList().FindIndex(r => r.TrackingId == selected.TrackingId);
        var first = Math.Clamp(at - (room / 2), 0, Math.Max(0, rows.Count - room));
        var overdue = rows.Count(r => TriageQueue.NextDeadline(r) is { } d && d.DueAt.ToDateTimeOffset() < now);

        // Fixed widths, the title taking what is left, so that no row wraps at any width.
        var wide = width >= 100;
        int[] widths = wide ? [17, 18, 10, 9, 12] : [17, 9, 10, 9];
        var titleRoom = Math.Max(8, width - widths.Sum() - Overhead(widths.Length + 1));
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Incident").NoWrap().Width(widths[0]))
            .AddColumn(new TableColumn("Severity").NoWrap().Width(widths[1]))
            .AddColumn(new TableColumn("Status").NoWrap().Width(widths[2]))
            .AddColumn(new TableColumn("Next due").NoWrap().RightAligned().Width(widths[3]));
        if (wide)
        {
            table.AddColumn(new TableColumn("Assignee").NoWrap().Width(widths[4]));
        }

        table.AddColumn(new TableColumn("Title").NoWrap().Width(titleRoom));
        foreach (var row in rows.Skip(first).Take(room))
        {
            var isSelected = row.TrackingId == selected?.TrackingId;
            var incident = row.Incident;
            var cells = new List<string>
            {
                (isSelected ? "[reverse]>" : " ") + Markup.Escape(row.TrackingId) + (isSelected ? "[/]" : ""),
                wide ? IncidentView.SeverityMarkup(incident.Severity, incident.ReportedSeverity) : ShortSeverity(incident),
                Markup.Escape(Words.Of(incident.Status)),
                Countdown(TriageQueue.NextDeadline(row), now),
            };
            if (wide)
            {
                cells.Add(Markup.Escape(Clip(incident.Assignee.Length > 0 ? incident.Assignee : "-", 12)));
            }

            var title = Markup.Escape(Clip(incident.Title, titleRoom));
            cells.Add(isSelected ? $"[bold]{title}[/]" : title);
            table.AddRow(cells.Select(c => new Markup(c).Overflow(Overflow.Ellipsis)));
        }

        var header = new Markup(
            $"[bold]cirt triage[/]  {Markup.Escape(filter)}  [grey]|[/]  {rows.Count} incident(s)"
            + (overdue > 0 ? $", [bold red]{overdue} overdue[/]" : "")
            + (queue.IsCurrent ? "" : "  [grey](loading)[/]")
            + $"  [grey]{now.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC[/]");
        var keys = new Markup(width >= 100
            ? "[grey]up/down[/] select  [bold]o[/] open  [bold]t[/] triage  [bold]a[/] assign  [bold]m[/] move  [bold]n[/] note  [bold]f[/] filter  [bold]q[/] quit"
            : "[grey]up/dn ?=claimed[/] [bold]o[/]pen [bold]t[/]riage [bold]a[/]ssign [bold]m[/]ove [bold]n[/]ote [bold]f[/]ilter [bold]q[/]uit");
        IRenderable body = rows.Count == 0 ? new Markup("[grey]Nothing in the queue matches the filter; new incidents appear here as they come.[/]") : table;
        return new Rows(header, body, new Markup(message.Length == 0 ? " " : message), keys);
    }

    /// <summary>Time left to a deadline as markup: "4h12m", yellow within the hour, red once overdue ("-0h05m").</summary>
    public static string Countdown(Deadline? deadline, DateTimeOffset now)
    {
        if (deadline is null)
        {
            return "[grey]-[/]";
        }

        var left = deadline.DueAt.ToDateTimeOffset() - now;
        var magnitude = left.Duration();
        var text = (left < TimeSpan.Zero ? "-" : "")
            + (magnitude.TotalHours >= 48
                ? $"{(int)magnitude.TotalDays}d{magnitude.Hours:00}h"
                : $"{(int)magnitude.TotalHours}h{magnitude.Minutes:00}m{(magnitude.TotalHours < 1 ? magnitude.Seconds.ToString("00", CultureInfo.InvariantCulture) + "s" : "")}");
        return left < TimeSpan.Zero ? $"[bold white on red]{text}[/]"
            : left < TimeSpan.FromHours(1) ? $"[bold yellow]{text}[/]"
            : text;
    }

    /// <summary>The severity in few letters: the CIRT's, or the reporter's claim with a question mark.</summary>
    private static string ShortSeverity(IncidentSummary incident) =>
        incident.Severity == Severity.Unspecified && incident.ReportedSeverity != Severity.Unspecified
            ? $"[grey]{Words.Of(incident.ReportedSeverity)}?[/]"
            : IncidentView.SeverityMarkup(incident.Severity);

    /// <summary>What a simple-bordered table adds around its columns: an edge each side, and a padding and a separator by every column.</summary>
    private static int Overhead(int columns) => 2 + (3 * columns);

    private static string Clip(string text, int room) => text.Length <= room ? text : text[..Math.Max(1, room - 1)] + "…";
}
