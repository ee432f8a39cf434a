using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Inbox;

/// <summary>
/// cirt inbox: what waits for you (advisories, tasks, deadlines), then new items as they come, until
/// Ctrl+C. With --output json, each message of the stream as it comes, one JSON document per line
/// (newline-delimited JSON), the "up to date" marker (kind INBOX_ITEM_KIND_LIVE) included.
/// </summary>
public sealed class FollowInboxCommand(IAnsiConsole console) : CirtCommand<FollowInboxCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--once")]
        [Description("Print what waits now and stop, instead of following. With --output json, every message is one JSON document on its own line (NDJSON), the last one of kind INBOX_ITEM_KIND_LIVE")]
        public bool Once { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        using var call = client.Inbox.FollowInbox(new FollowInboxRequest(), cancellationToken: cancellationToken);
        // A stream that broke is opened again (on the next server): it starts over, and what was
        // shown already (same key: same item in the same state) is not shown twice.
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var live = false;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var item = call.ResponseStream.Current.Item;
                if (item.Kind != InboxItemKind.Live && item.Key.Length > 0 && !shown.Add(item.Key))
                {
                    continue;
                }

                if (s.WantsJson)
                {
                    // A stream has no one answer: each message is a document of its own, on its own line.
                    JsonLines.Write(Console, call.ResponseStream.Current);
                    if (item.Kind == InboxItemKind.Live && s.Once)
                    {
                        return 0;
                    }

                    continue;
                }

                if (item.Kind == InboxItemKind.Live)
                {
                    if (s.Once)
                    {
                        return 0;
                    }

                    if (!live)
                    {
                        Console.MarkupLine("[grey]-- up to date; following (Ctrl+C to stop) --[/]");
                    }

                    live = true;
                    continue;
                }

                var kind = item.Kind switch
                {
                    InboxItemKind.Advisory => "[bold]advisory[/]",
                    InboxItemKind.Task => "task",
                    InboxItemKind.Incident => "[bold]incident[/]",
                    _ => "deadline",
                };
                Console.MarkupLine($"{kind} {(item.Overdue ? "[bold red]overdue[/] " : "")}{Markup.Escape(item.Summary)}"
                                   + (item.DueAt is null ? "" : $" (due {Times.Of(item.DueAt)})"));
            }
        }
        catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C.
        }

        return 0;
    }
}
