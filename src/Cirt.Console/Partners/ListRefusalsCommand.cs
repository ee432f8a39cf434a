using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>cirt partners refusals: deliveries to us this instance refused (bad signature, replay, unknown or suspended sender...), newest first.</summary>
public sealed class ListRefusalsCommand(IAnsiConsole console) : CirtCommand<PagingSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, PagingSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.ListInboundRefusalsAsync(
            new ListInboundRefusalsRequest { PageSize = s.PageSize, PageToken = s.PageToken ?? "" }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.Refusals.Count == 0)
            {
                Console.MarkupLine("No delivery to this instance has been refused.");
                return;
            }

            Console.Write(OutboxView.Refusals(response.Refusals));
            s.WriteNext(Console, response.NextPageToken);
        });
    }
}
