using System.ComponentModel;
using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Reporting;

/// <summary>cirt report: submit an incident report on behalf of a stakeholder.</summary>
public sealed class ReportCommand(IAnsiConsole console) : CirtCommand<ReportCommand.Settings>(console)
{
    public sealed class Settings : ObservableSettings
    {
        [CommandOption("--reporter <STAKEHOLDER>")]
        [Description("Id of the reporting stakeholder, e.g. gridco (required)")]
        public string Reporter { get; init; } = "";

        [CommandOption("--title <TEXT>")]
        [Description("Short title (required)")]
        public string Title { get; init; } = "";

        [CommandOption("--description <TEXT>")]
        [Description("What happened (required)")]
        public string Description { get; init; } = "";

        [CommandOption("--significant")]
        [Description("Significant incident in the sense of NIS2 Article 23: starts the reporting deadlines")]
        public bool Significant { get; init; }

        [CommandOption("--affects-trust-services")]
        [Description("The incident affects the trust services you provide: a registered trust service provider notifies within 24 h (NIS2 Art. 23(4)(b))")]
        public bool AffectsTrustServices { get; init; }

        [CommandOption("--exercise")]
        [Description("An exercise: the same workflow, left out of statistics and alert levels")]
        public bool Exercise { get; init; }

        [CommandOption("--malicious")]
        [Description("Suspected to be caused by unlawful or malicious acts")]
        public bool Malicious { get; init; }

        [CommandOption("--cross-border")]
        [Description("Could have a cross-border impact")]
        public bool CrossBorder { get; init; }

        [CommandOption("--aware-at <TIME>")]
        [Description("When you became aware (ISO 8601, default now)")]
        public string? AwareAt { get; init; }

        [CommandOption("--severity <SEVERITY>")]
        [Description("Your estimate: low, medium, high, critical (kept as yours; the CIRT sets the severity at triage)")]
        public string? Severity { get; init; }

        [CommandOption("--tlp <LABEL>")]
        [Description("clear, green, amber (default), amber+strict, red")]
        public string? Tlp { get; init; }

        [CommandOption("--class <RSIT-CLASS>")]
        [Description("Your view of the RSIT class, e.g. malicious-code")]
        public string? RsitClass { get; init; }

        [CommandOption("--type <RSIT-TYPE>")]
        [Description("Your view of the RSIT type, e.g. infected-system")]
        public string? RsitType { get; init; }

        [CommandOption("--sector <CODE>")]
        [Description("Affected sector (repeatable; default: the reporter's sectors). Sectors not the reporter's own are proposed: the CIRT confirms them at triage")]
        public string[] Sectors { get; init; } = [];

        [CommandOption("--affected <STAKEHOLDER>")]
        [Description("Another affected stakeholder (repeatable), proposed: the CIRT confirms it at triage (from CIRT staff: affected at once)")]
        public string[] Affected { get; init; } = [];

        [CommandOption("--contact-name <NAME>")]
        public string? ContactName { get; init; }

        [CommandOption("--contact-email <EMAIL>")]
        public string? ContactEmail { get; init; }

        [CommandOption("--contact-phone <PHONE>")]
        public string? ContactPhone { get; init; }

        [CommandOption("--request-id <ID>")]
        [Description("Idempotency key; reuse it to retry safely (default: a new UUID)")]
        public string? RequestId { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new SubmitIncidentRequest
        {
            RequestId = s.RequestId ?? Guid.NewGuid().ToString(),
            ReporterStakeholderId = s.Reporter,
            Title = s.Title,
            Description = s.Description,
            Significant = s.Significant,
            Exercise = s.Exercise,
            AffectsTrustServices = s.AffectsTrustServices,
            SuspectedMalicious = s.Malicious,
            CrossBorderImpact = s.CrossBorder,
            RsitClass = s.RsitClass ?? "",
            RsitType = s.RsitType ?? "",
            Severity = s.Severity is null ? Contracts.V1.Severity.Unspecified : Words.Severity(s.Severity),
            Tlp = s.Tlp is null ? Contracts.V1.Tlp.Unspecified : Words.Tlp(s.Tlp),
            ReporterContact = new ReporterContact { Name = s.ContactName ?? "", Email = s.ContactEmail ?? "", Phone = s.ContactPhone ?? "" },
        };
        if (s.AwareAt is not null)
        {
            if (!DateTimeOffset.TryParse(s.AwareAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var awareAt))
            {
                throw new UsageException($"--aware-at '{s.AwareAt}' is not a date and time (use ISO 8601, e.g. 2026-11-24T08:30Z).");
            }

            request.AwareAt = Timestamp.FromDateTimeOffset(awareAt);
        }

        request.SectorCodes.AddRange(s.Sectors);
        request.AffectedStakeholderIds.AddRange(s.Affected);
        request.Observables.AddRange(s.Observables());

        // Retries (a lost answer, a server down) repeat this id, so the report is recorded once;
        // printed either way, so that the operator can send it again with --request-id.
        SubmitIncidentResponse response;
        try
        {
            response = await client.Reporting.SubmitIncidentAsync(request, cancellationToken: cancellationToken);
        }
        catch (Grpc.Core.RpcException)
        {
            Console.MarkupLineInterpolated($"Request id [bold]{request.RequestId}[/]: to send this report again without reporting it twice, repeat the command with --request-id {request.RequestId}.");
            throw;
        }

        return Emit(s, response, () => Write(response, request.RequestId));
    }

    private void Write(SubmitIncidentResponse response, string requestId)
    {
        Console.MarkupLineInterpolated($"Incident [bold]{response.TrackingId}[/] reported (request id {requestId}).");
        var proposed = response.Incident.ProposedAffectedStakeholderIds.Concat(response.Incident.ProposedSectorCodes).ToArray();
        if (proposed.Length > 0)
        {
            Console.MarkupLineInterpolated($"Proposed for the CIRT to confirm at triage (not affected until then): {string.Join(", ", proposed)}.");
        }
        if (response.Deadlines.Count > 0)
        {
            Console.MarkupLine(response.Deadlines.Any(d => d.Kind != DeadlineKind.Triage)
                ? "The CIRT's triage SLA and the NIS2 reporting deadlines now run:"
                : "The CIRT's triage SLA now runs:");
            Console.Write(IncidentView.Deadlines(response.Deadlines));
        }
    }
}
