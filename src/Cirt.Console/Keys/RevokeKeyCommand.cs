using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Keys;

/// <summary>cirt keys revoke: refuse a key from its next call on.</summary>
public sealed class RevokeKeyCommand(IAnsiConsole console) : CirtCommand<RevokeKeyCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<KEY-ID>")]
        [Description("The key id shown by cirt keys list")]
        public string KeyId { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Keys.RevokeKeyAsync(new RevokeKeyRequest { KeyId = s.KeyId }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Console.MarkupLineInterpolated($"Revoked {KeyView.Describe(response.Key)}."));
    }
}
