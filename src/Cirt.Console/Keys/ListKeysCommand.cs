using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Keys;

/// <summary>cirt keys list: every key issued, without secrets.</summary>
public sealed class ListKeysCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Keys.ListKeysAsync(new ListKeysRequest(), cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            Console.Write(KeyView.Table(response.Keys));
            Console.MarkupLineInterpolated($"{response.Keys.Count} key(s), {response.Keys.Count(k => k.RevokedAt is null)} active.");
        });
    }
}
