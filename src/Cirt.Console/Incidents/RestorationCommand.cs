using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents restoration: record whether an affected stakeholder is restored.</summary>
public sealed class RestorationCommand(IAnsiConsole console) : CirtCommand<RestorationCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<STAKEHOLDER>")]
        [Description("One of the incident's affected stakeholders (operators: their own organisation)")]
        public string Stakeholder { get; init; } = "";

        [CommandArgument(2, "<STATE>")]
        [Description("restored or not-restored")]
        public string State { get; init; } = "";

        [CommandOption("--note <TEXT>")]
        public string Note { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var restored = s.State.ToLowerInvariant() switch
        {
            "restored" => true,
            "not-restored" or "unrestored" => false,
            _ => throw new UsageException($"'{s.State}' is not a restoration state; use restored or not-restored."),
        };
        var response = await client.Incidents.SetRestorationAsync(new SetRestorationRequest
        {
            TrackingId = s.TrackingId, StakeholderId = s.Stakeholder, Restored = restored, Note = s.Note, ExpectedVersion = s.ExpectedVersion,
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
