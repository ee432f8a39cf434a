using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>cirt incidents observe: add observables (IPs, domains, hashes...).</summary>
public sealed class ObserveCommand(IAnsiConsole console) : CirtCommand<ObserveCommand.Settings>(console)
{
    public sealed class Settings : ObservableSettings
    {
        [CommandArgument(0, "<TRACKING-ID>")]
        [Description("e.g. CIRT-2026-000042")]
        public string TrackingId { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new AddObservablesRequest { TrackingId = s.TrackingId };
        request.Observables.AddRange(s.Observables());
        if (request.Observables.Count == 0)
        {
            throw new UsageException("Give at least one observable: --ip, --prefix, --domain, --url, --email, --hash, --asn or --cve.");
        }

        var response = await client.Incidents.AddObservablesAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.AddedCount == 0)
            {
                Console.MarkupLineInterpolated($"[bold]{response.Incident.TrackingId}[/] already has all of these observables.");
            }
            else
            {
                IncidentChanged.Report(Console, response.Incident);
            }
        });
    }
}
