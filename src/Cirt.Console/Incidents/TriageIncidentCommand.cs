using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents triage: accept a reported incident with its classification.</summary>
public sealed class TriageIncidentCommand(IAnsiConsole console) : CirtCommand<TriageIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentSettings
    {
        [CommandOption("--class <RSIT-CLASS>")]
        [Description("RSIT class, e.g. malicious-code (required)")]
        public string RsitClass { get; init; } = "";

        [CommandOption("--type <RSIT-TYPE>")]
        [Description("RSIT type, e.g. infected-system (required)")]
        public string RsitType { get; init; } = "";

        [CommandOption("--severity <SEVERITY>")]
        [Description("low, medium, high, critical (required)")]
        public string? Severity { get; init; }

        [CommandOption("--tlp <LABEL>")]
        [Description("clear, green, amber, amber+strict, red (default: keep the reported one)")]
        public string? Tlp { get; init; }

        [CommandOption("--assignee <USER>")]
        public string? Assignee { get; init; }

        [CommandOption("--reason <TEXT>")]
        public string? Reason { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = s.TrackingId,
            Outcome = TriageOutcome.Accept,
            RsitClass = s.RsitClass,
            RsitType = s.RsitType,
            Severity = s.Severity is null ? Contracts.V1.Severity.Unspecified : Words.Severity(s.Severity),
            Tlp = s.Tlp is null ? Contracts.V1.Tlp.Unspecified : Words.Tlp(s.Tlp),
            Assignee = s.Assignee ?? "",
            Reason = s.Reason ?? "",
            ExpectedVersion = s.ExpectedVersion,
        }, cancellationToken: cancellationToken);
        return IncidentChanged.Report(Console, response.Incident);
    }
}
