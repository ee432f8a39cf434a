using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>cirt partners egress: what left this instance, recorded by digest, newest first (CIRT staff).</summary>
public sealed class ListEgressCommand(IAnsiConsole console) : CirtCommand<ListEgressCommand.Settings>(console)
{
    public sealed class Settings : PagingSettings
    {
        [CommandOption("--partner <ID>")]
        [Description("Only what went to this partner")]
        public string? Partner { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.ListEgressAsync(
            new ListEgressRequest { PartnerId = s.Partner ?? "", PageSize = s.PageSize, PageToken = s.PageToken ?? "" }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.Records.Count == 0)
            {
                Console.MarkupLine("Nothing has left this instance.");
                return;
            }

            Console.Write(OutboxView.Egress(response.Records));
            s.WriteNext(Console, response.NextPageToken);
        });
    }
}
