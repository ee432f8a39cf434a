using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Playbooks;

/// <summary>cirt playbooks list: every RSIT class's playbook and its steps.</summary>
public sealed class ListPlaybooksCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Playbooks.ListPlaybooksAsync(new ListPlaybooksRequest(), cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            foreach (var playbook in response.Playbooks)
            {
                ShowPlaybookCommand.Write(Console, playbook);
            }

            Console.MarkupLineInterpolated($"{response.Playbooks.Count} playbook(s).");
        });
    }
}
