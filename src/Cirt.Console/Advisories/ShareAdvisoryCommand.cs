using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Advisories;

/// <summary>
/// cirt advisories share: add partner CIRTs to a published advisory's recipients (coordinators);
/// each gets it through the outbox as its agreement allows.
/// </summary>
public sealed class ShareAdvisoryCommand(IAnsiConsole console) : CirtCommand<ShareAdvisoryCommand.Settings>(console)
{
    public sealed class Settings : AdvisorySettings
    {
        [CommandOption("--partner <ID>")]
        [Description("A partner CIRT to share it with (repeatable; at least one)")]
        public string[] Partners { get; init; } = [];
    }

    /// <summary>The request the command line asks for.</summary>
    public static ShareAdvisoryRequest Request(Settings s)
    {
        if (s.Partners.Length == 0)
        {
            throw new UsageException("Give --partner ID (repeatable): the partner CIRTs to share the advisory with.");
        }

        var request = new ShareAdvisoryRequest { Id = s.Id };
        request.PartnerIds.AddRange(s.Partners.Distinct());
        return request;
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = Request(s);
        var response = await client.Advisories.ShareAdvisoryAsync(request, cancellationToken: cancellationToken);
        var advisory = response.Advisory;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated($"Advisory [bold]{advisory.Id}[/] ({Words.Of(advisory.Content.Tlp)}) shared:");
            AdvisoryView.WriteShares(Console, advisory, request.PartnerIds);
        });
    }
}
