using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stakeholders;

/// <summary>cirt stakeholders confirm-contacts: confirm that a stakeholder's contacts work.</summary>
public sealed class ConfirmContactsCommand(IAnsiConsole console) : CirtCommand<ConfirmContactsCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("The stakeholder (operators: their own organisation)")]
        public string Id { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Stakeholders.ConfirmContactsAsync(new ConfirmContactsRequest { StakeholderId = s.Id }, cancellationToken: cancellationToken);
        var stakeholder = response.Stakeholder;
        return Emit(s, response, () => Console.MarkupLineInterpolated($"{stakeholder.Id}: {stakeholder.Contacts.Count} contact(s) confirmed; none stale."));
    }
}
