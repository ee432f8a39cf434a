using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents refer: record a referral to law enforcement.</summary>
public sealed class ReferCommand(IAnsiConsole console) : CirtCommand<ReferCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandOption("--agency <NAME>")]
        [Description("Required, e.g. \"National Police - Cybercrime Unit\"")]
        public string Agency { get; init; } = "";

        [CommandOption("--reference <REF>")]
        [Description("Required: the agency's reference for the case")]
        public string Reference { get; init; } = "";

        [CommandOption("--note <TEXT>")]
        public string Note { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest
        {
            TrackingId = s.TrackingId, Agency = s.Agency, Reference = s.Reference, Note = s.Note, ExpectedVersion = s.ExpectedVersion,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
