using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>
/// cirt incidents nis2: submit a NIS2 report (early warning, notification, intermediate, progress
/// or final report) against an incident.
/// </summary>
public sealed class Nis2ReportCommand(IAnsiConsole console) : CirtCommand<Nis2ReportCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<TRACKING-ID>")]
        [Description("e.g. CIRT-2026-000042")]
        public string TrackingId { get; init; } = "";

        [CommandArgument(1, "<STAGE>")]
        [Description("early-warning, notification, intermediate-report (when the CIRT asked for one), progress-report (when the final report falls due while the incident is still handled) or final-report")]
        public string Stage { get; init; } = "";

        [CommandArgument(2, "<SUMMARY>")]
        [Description("What the report says; quote it")]
        public string Summary { get; init; } = "";

        [CommandOption("--request-id <ID>")]
        [Description("Makes a resend safe: the same id records the report once (default: a new id)")]
        public string? RequestId { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var stage = Words.Stage(s.Stage);
        var response = await client.Reporting.SubmitNis2ReportAsync(new SubmitNis2ReportRequest
        {
            RequestId = s.RequestId ?? Guid.NewGuid().ToString("N"),
            TrackingId = s.TrackingId,
            Stage = stage,
            Summary = s.Summary,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            IncidentChanged.Report(Console, response.Incident);
            Console.Write(IncidentView.Deadlines(response.Incident.Deadlines));
        });
    }
}
