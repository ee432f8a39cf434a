using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Keys;

/// <summary>cirt whoami: which principal the key in use belongs to.</summary>
public sealed class WhoAmICommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var me = await client.Keys.WhoAmIAsync(new WhoAmIRequest(), cancellationToken: cancellationToken);
        return Emit(s, me, () => Console.MarkupLineInterpolated($"{KeyView.Describe(me.Key)} on {client.Server}"));
    }
}
