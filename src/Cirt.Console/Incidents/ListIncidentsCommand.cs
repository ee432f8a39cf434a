using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents list: the triage queue.</summary>
public sealed class ListIncidentsCommand(IAnsiConsole console) : CirtCommand<ListIncidentsCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--status <STATUS>")]
        [Description("Only this status (repeatable): reported, triaged, responding, recovering, resolved, closed, rejected, duplicate; 'open' for the first four")]
        public string[] Statuses { get; init; } = [];

        [CommandOption("--sector <CODE>")]
        public string? Sector { get; init; }

        [CommandOption("--severity <SEVERITY>")]
        [Description("Only this severity (repeatable)")]
        public string[] Severities { get; init; } = [];

        [CommandOption("--stakeholder <ID>")]
        [Description("Reported by or affecting this stakeholder")]
        public string? Stakeholder { get; init; }

        [CommandOption("--sort <ORDER>")]
        [Description("newest (default) or severity")]
        public string Sort { get; init; } = "newest";

        [CommandOption("--page-size <N>")]
        public int PageSize { get; init; } = 50;

        [CommandOption("--page <N>")]
        [Description("Page number, from 1")]
        public int Page { get; init; } = 1;
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new ListIncidentsRequest
        {
            SectorCode = s.Sector ?? "",
            StakeholderId = s.Stakeholder ?? "",
            PageSize = s.PageSize,
            Order = s.Sort.ToLowerInvariant() switch
            {
                "newest" => IncidentOrder.NewestFirst,
                "severity" or "severe" or "most-severe" => IncidentOrder.MostSevereFirst,
                _ => throw new UsageException($"--sort '{s.Sort}' is not an order; use newest or severity."),
            },
        };
        foreach (var status in s.Statuses)
        {
            if (status.Equals("open", StringComparison.OrdinalIgnoreCase))
            {
                request.Statuses.Add([IncidentStatus.Reported, IncidentStatus.Triaged, IncidentStatus.Responding, IncidentStatus.Recovering]);
            }
            else
            {
                request.Statuses.Add(Words.Status(status));
            }
        }

        request.Severities.AddRange(s.Severities.Select(Words.Severity));
        if (s.Page < 1)
        {
            throw new UsageException("--page counts from 1.");
        }

        // Walk the server's page tokens up to the requested page.
        ListIncidentsResponse response;
        var page = 1;
        while (true)
        {
            response = await client.Incidents.ListIncidentsAsync(request, cancellationToken: cancellationToken);
            if (page == s.Page || response.NextPageToken.Length == 0)
            {
                break;
            }

            request.PageToken = response.NextPageToken;
            page++;
        }

        if (page != s.Page)
        {
            // Past the last page: nothing on it (JSON: an empty page with the total).
            return Emit(s, new ListIncidentsResponse { TotalSize = response.TotalSize }, () =>
                Console.MarkupLineInterpolated($"There are only {page} page(s) of {response.TotalSize} incident(s)."));
        }

        return Emit(s, response, () =>
        {
            Console.Write(IncidentView.Queue(response.Incidents));
            var shownFrom = ((page - 1) * request.PageSize) + 1;
            Console.MarkupLineInterpolated(
                $"{(response.Incidents.Count == 0 ? "No incidents" : $"Incidents {shownFrom}-{shownFrom + response.Incidents.Count - 1}")} of {response.TotalSize}.{(response.NextPageToken.Length > 0 ? $" Next: --page {page + 1}" : "")}");
        });
    }
}
