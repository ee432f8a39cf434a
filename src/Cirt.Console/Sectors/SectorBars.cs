using System.Globalization;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Sectors;

/// <summary>Open incidents by severity as a bar of coloured blocks, most severe first, scaled to the busiest sector.</summary>
public static class SectorBars
{
    /// <summary>The severities from most to least severe, the unassessed (not triaged) last.</summary>
    public static readonly Severity[] Order = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Unspecified];

    /// <summary>A stacked bar at most <paramref name="room"/> blocks long for <paramref name="most"/> incidents; every non-zero count gets at least one block.</summary>
    public static string Bar(IEnumerable<SeverityCount> counts, int most, int room)
    {
        var byseverity = counts.ToDictionary(c => c.Severity, c => c.Count);
        var bar = new System.Text.StringBuilder();
        foreach (var severity in Order)
        {
            var count = byseverity.GetValueOrDefault(severity);
            if (count == 0)
            {
                continue;
            }

            var blocks = Math.Max(1, (int)Math.Round((double)count * room / Math.Max(1, most)));
            bar.Append(CultureInfo.InvariantCulture, $"[{Pictures.Of(severity).ToMarkup()}]{new string('█', blocks)}[/]");
        }

        return bar.Length == 0 ? "[grey]·[/]" : bar.ToString();
    }

    /// <summary>"2 critical, 1 high" (only the non-zero counts), or "none".</summary>
    public static string Counts(IEnumerable<SeverityCount> counts)
    {
        var byseverity = counts.ToDictionary(c => c.Severity, c => c.Count);
        var parts = Order.Where(s => byseverity.GetValueOrDefault(s) > 0)
            .Select(s => $"{byseverity[s].ToString(CultureInfo.InvariantCulture)} {Pictures.Word(s)}").ToArray();
        return parts.Length == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>The legend: each severity in its colour.</summary>
    public static string Legend() =>
        string.Join("  ", Order.Select(s => $"[{Pictures.Of(s).ToMarkup()}]█[/] {Pictures.Word(s)}"));

    /// <summary>An alert level in words without markup: "3 elevated".</summary>
    public static string LevelWord(int level) => level switch
    {
        >= 5 => "5 critical",
        4 => "4 high",
        3 => "3 elevated",
        2 => "2 guarded",
        _ => "1 normal",
    };
}
