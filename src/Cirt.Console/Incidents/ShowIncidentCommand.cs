using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents show: one incident with the newest entries of its timeline, or all of them.</summary>
public sealed class ShowIncidentCommand(IAnsiConsole console) : CirtCommand<ShowIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentSettings
    {
        [CommandOption("--all-timeline")]
        [Description("Show the whole timeline, fetched page by page (by default: its newest 100 entries)")]
        public bool AllTimeline { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = s.TrackingId }, cancellationToken: cancellationToken);
        var incident = response.Incident;
        var token = response.TimelineNextPageToken;
        var older = new List<TimelineEntry>();
        while (s.AllTimeline && token.Length > 0)
        {
            var page = await client.Incidents.GetIncidentAsync(
                new GetIncidentRequest { TrackingId = s.TrackingId, TimelinePageSize = 1000, TimelinePageToken = token }, cancellationToken: cancellationToken);
            older.InsertRange(0, page.Incident.Timeline);
            token = page.TimelineNextPageToken;
        }

        if (older.Count > 0)
        {
            var whole = older.Concat(incident.Timeline).ToArray();
            incident.Timeline.Clear();
            incident.Timeline.AddRange(whole);
        }

        // With --all-timeline, the response carries the whole timeline: no page is left to fetch.
        response.TimelineNextPageToken = token;
        return Emit(s, response, () => IncidentView.Render(Console, incident));
    }
}
