using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>cirt partners approve: send a held message's redacted payload; you are recorded in the egress audit (coordinators).</summary>
public sealed class ApproveOutboxMessageCommand(IAnsiConsole console) : CirtCommand<OutboxMessageSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, OutboxMessageSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = s.MessageId }, cancellationToken: cancellationToken);
        var message = response.Message;
        return Emit(s, response, () => Console.MarkupLineInterpolated(
            $"Approved: {OutboxView.Item(message)} for [bold]{message.PartnerId}[/] is {Markup.Remove(OutboxView.State(message.State))}, redacted; approved by {message.DecidedBy}."));
    }
}
