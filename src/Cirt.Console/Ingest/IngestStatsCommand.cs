using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Ingest;

/// <summary>cirt ingest stats: totals per feed, the current rate and the backlog.</summary>
public sealed class IngestStatsCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var stats = await client.Ingest.GetIngestStatsAsync(new GetIngestStatsRequest(), cancellationToken: cancellationToken);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Feed");
        foreach (var column in new[] { "Stored", "Duplicates", "Unmatched", "Resent", "Rejected" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddColumn(new TableColumn("Last event").NoWrap());
        foreach (var f in stats.Feeds.Append(stats.Total))
        {
            table.AddRow(
                Markup.Escape(f.Feed), N(f.Stored), N(f.Duplicates), N(f.Unmatched), N(f.Resent), N(f.Rejected), IncidentView.Time(f.LastEventAt));
        }

        Console.Write(table);
        Console.MarkupLineInterpolated(
            $"{stats.EventsPerSecond.ToString("N1", CultureInfo.InvariantCulture)} events/s over the last minute; {N(stats.Backlog)} event(s) waiting to be routed and aggregated.");
        if (stats.PassInProgress)
        {
            Console.MarkupLineInterpolated(
                $"A pass of {N(stats.PassEvents)} event(s) is writing its incidents since {IncidentView.Time(stats.PassStartedAt)}: {N(stats.PassAggregatesApplied)} of {N(stats.PassAggregatesTotal)} written.");
        }
        return 0;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
