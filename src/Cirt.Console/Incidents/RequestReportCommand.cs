using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>
/// cirt incidents request-report: the CIRT asks the reporter of an incident for an intermediate
/// NIS2 report by a due time (Art. 23(4)(c)); the deadline escalates if the report does not come.
/// </summary>
public sealed class RequestReportCommand(IAnsiConsole console) : CirtCommand<RequestReportCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<TRACKING-ID>")]
        [Description("e.g. CIRT-2026-000042")]
        public string TrackingId { get; init; } = "";

        [CommandOption("--due <WHEN>")]
        [Description("When the report is due: a span from now (48h, 2d) or a time (2026-11-26T08:00Z); required")]
        public string? Due { get; init; }

        [CommandOption("--reason <TEXT>")]
        [Description("What the CIRT wants to know (required; the reporter reads it in the timeline)")]
        public string Reason { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (s.Due is null)
        {
            throw new UsageException("Give --due: a span from now (48h, 2d) or a time (2026-11-26T08:00Z).");
        }

        if (string.IsNullOrWhiteSpace(s.Reason))
        {
            throw new UsageException("Give --reason: what the CIRT wants to know.");
        }

        var request = new RequestIntermediateReportRequest { TrackingId = s.TrackingId, Reason = s.Reason };
        if (Words.Span(s.Due) is { } span)
        {
            // A span is counted by the server's clock, not this machine's.
            request.DueWithin = Duration.FromTimeSpan(span);
        }
        else
        {
            request.DueAt = Timestamp.FromDateTimeOffset(Words.Time(s.Due));
        }

        var response = await client.Incidents.RequestIntermediateReportAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            IncidentChanged.Report(Console, response.Incident);
            Console.Write(IncidentView.Deadlines(response.Incident.Deadlines));
        });
    }
}
