using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Keys;

/// <summary>cirt login: check a key against the server and remember both (file mode 0600).</summary>
public sealed class LoginCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var key = s.ResolveApiKey() ?? throw new UsageException("Give the key to log in with: cirt login --server URL --key KEY.");
        var me = await client.Keys.WhoAmIAsync(new WhoAmIRequest(), cancellationToken: cancellationToken);
        new ConsoleConfig(string.Join(",", client.Servers), key).Save();
        return Emit(s, me, () =>
        {
            Console.MarkupLineInterpolated($"Logged in to {client.Server} as {KeyView.Describe(me.Key)}.");
            Console.MarkupLineInterpolated($"Saved to {ConsoleConfig.FilePath} (readable by you only).");
        });
    }
}
