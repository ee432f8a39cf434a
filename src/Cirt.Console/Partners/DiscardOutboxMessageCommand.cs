using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>cirt partners discard: a held message never leaves (coordinators).</summary>
public sealed class DiscardOutboxMessageCommand(IAnsiConsole console) : CirtCommand<DiscardOutboxMessageCommand.Settings>(console)
{
    public sealed class Settings : OutboxMessageSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why it must not leave (required)")]
        public string? Reason { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(s.Reason))
        {
            throw new UsageException("Give --reason: why the message must not leave.");
        }

        var response = await client.Partners.DiscardOutboxMessageAsync(new DiscardOutboxMessageRequest { MessageId = s.MessageId, Reason = s.Reason }, cancellationToken: cancellationToken);
        var message = response.Message;
        return Emit(s, response, () => Console.MarkupLineInterpolated($"Discarded: {OutboxView.Item(message)} never leaves for [bold]{message.PartnerId}[/]."));
    }
}
