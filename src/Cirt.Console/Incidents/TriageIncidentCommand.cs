using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>
/// cirt incidents triage: accept a reported incident with its classification and the CIRT's
/// severity, confirming what its reporter proposed (or not).
/// </summary>
public sealed class TriageIncidentCommand(IAnsiConsole console) : CirtCommand<TriageIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
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

        [CommandOption("--confirm-proposed")]
        [Description("Confirm every stakeholder and sector the reporter proposed (what is not confirmed is declined)")]
        public bool ConfirmProposed { get; init; }

        [CommandOption("--confirm-stakeholder <ID>")]
        [Description("Confirm this proposed affected stakeholder (repeatable)")]
        public string[] ConfirmStakeholders { get; init; } = [];

        [CommandOption("--confirm-sector <CODE>")]
        [Description("Confirm this proposed sector (repeatable)")]
        public string[] ConfirmSectors { get; init; } = [];

    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (s.ConfirmProposed && (s.ConfirmStakeholders.Length > 0 || s.ConfirmSectors.Length > 0))
        {
            throw new UsageException("--confirm-proposed confirms everything proposed: give it, or --confirm-stakeholder / --confirm-sector, not both.");
        }

        var request = new TriageIncidentRequest
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
            ConfirmProposed = s.ConfirmProposed,
        };
        request.ConfirmStakeholderIds.AddRange(s.ConfirmStakeholders);
        request.ConfirmSectorCodes.AddRange(s.ConfirmSectors);
        var response = await client.Incidents.TriageIncidentAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
