using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Console.Partners;
using Cirt.Contracts.V1;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Incidents;

/// <summary>
/// cirt incidents share: share an incident with a partner CIRT (CIRT staff): a redacted summary
/// through its agreement and the outbox; its shared notes and status changes follow.
/// </summary>
public sealed class ShareIncidentCommand(IAnsiConsole console) : CirtCommand<ShareIncidentCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandOption("--partner <ID>")]
        [Description("The partner CIRT to share it with (required)")]
        public string? Partner { get; init; }
    }

    /// <summary>The request the command line asks for.</summary>
    public static ShareIncidentRequest Request(Settings s)
    {
        if (string.IsNullOrWhiteSpace(s.Partner))
        {
            throw new UsageException("Give --partner ID: the partner CIRT to share the incident with.");
        }

        return new ShareIncidentRequest { TrackingId = s.TrackingId, PartnerId = s.Partner.Trim(), ExpectedVersion = s.ExpectedVersion };
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = Request(s);
        var response = await client.Incidents.ShareIncidentAsync(request, cancellationToken: cancellationToken);
        if (s.WantsJson)
        {
            return Emit(s, response, () => { });
        }

        if (response.State != OutboxState.Held)
        {
            Console.MarkupLineInterpolated(
                $"[bold]{response.Incident.TrackingId}[/] shared with [bold]{request.PartnerId}[/]: message {response.MessageId} is {Markup.Remove(OutboxView.State(response.State))}.");
            return 0;
        }

        Console.MarkupLineInterpolated(
            $"[bold]{response.Incident.TrackingId}[/] shared with [bold]{request.PartnerId}[/]: message {response.MessageId} is [yellow]{await HeldSummaryAsync(client, response.MessageId, cancellationToken)}[/].");
        Console.MarkupLineInterpolated($"Nothing leaves until a coordinator reviews it (cirt partners message {response.MessageId}) and approves the redacted version (cirt partners approve {response.MessageId}) or discards it.");
        return 0;
    }

    private static async Task<string> HeldSummaryAsync(CirtClient client, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            var held = await client.Partners.GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = messageId }, cancellationToken: cancellationToken);
            return OutboxView.HeldSummary(held.Message.Findings);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.NotFound)
        {
            // The share is done; what was found is only a detail the coordinator sees anyway.
            return "held for approval: personal data was found";
        }
    }
}
