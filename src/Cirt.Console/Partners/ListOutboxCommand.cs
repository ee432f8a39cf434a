using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>cirt partners outbox: messages to partners, newest first (CIRT staff).</summary>
public sealed class ListOutboxCommand(IAnsiConsole console) : CirtCommand<ListOutboxCommand.Settings>(console)
{
    public sealed class Settings : PagingSettings
    {
        [CommandOption("--partner <ID>")]
        [Description("Only this partner's messages")]
        public string? Partner { get; init; }

        [CommandOption("--state <STATE>")]
        [Description("Only messages that are held, queued, delivered, failed or discarded")]
        public string? State { get; init; }
    }

    /// <summary>The request the command line asks for.</summary>
    public static ListOutboxRequest Request(Settings s) => new()
    {
        PartnerId = s.Partner ?? "",
        State = s.State is null ? OutboxState.Unspecified : Words.OutboxState(s.State),
        PageSize = s.PageSize,
        PageToken = s.PageToken ?? "",
    };

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = Request(s);
        var response = await client.Partners.ListOutboxAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(s, request, response));
    }

    private void Write(Settings s, ListOutboxRequest request, ListOutboxResponse response)
    {
        if (response.Messages.Count == 0)
        {
            Console.MarkupLine(request.State == OutboxState.Held ? "Nothing is held for approval." : "No messages.");
            return;
        }

        Console.Write(OutboxView.List(response.Messages));
        var held = response.Messages.Count(m => m.State == OutboxState.Held);
        if (held > 0)
        {
            Console.MarkupLineInterpolated($"{held} held for approval: see what was found with cirt partners message MESSAGE-ID, then approve or discard it.");
        }

        s.WriteNext(Console, response.NextPageToken);
    }
}
