using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt partners message: one outbox message; for a held one, each piece of personal data found
/// (field, kind, match, context) and the redacted payload approving would send (CIRT staff).
/// </summary>
public sealed class ShowOutboxMessageCommand(IAnsiConsole console) : CirtCommand<OutboxMessageSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, OutboxMessageSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = s.MessageId }, cancellationToken: cancellationToken);
        return Emit(s, response, () => OutboxView.Show(Console, response.Message, response.Payload));
    }
}
