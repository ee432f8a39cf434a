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
        [CommandArgument(0, "<KEY>")]
        [Description("The key id shown by cirt keys list, or the name of the one active key of that name (e.g. bootstrap)")]
        public string KeyId { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var keyId = await ResolveAsync(client, s.KeyId, cancellationToken);
        var response = await client.Keys.RevokeKeyAsync(new RevokeKeyRequest { KeyId = keyId }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Console.MarkupLineInterpolated($"Revoked {KeyView.Describe(response.Key)}."));
    }

    /// <summary>The key id <paramref name="keyOrName"/> means: a key id as it is, else the one active key so named.</summary>
    private static async Task<string> ResolveAsync(CirtClient client, string keyOrName, CancellationToken cancellationToken)
    {
        var keys = (await client.Keys.ListKeysAsync(new ListKeysRequest(), cancellationToken: cancellationToken)).Keys;
        if (keys.Any(k => k.KeyId == keyOrName))
        {
            return keyOrName;
        }

        var named = keys.Where(k => k.RevokedAt is null && k.Name == keyOrName).ToList();
        return named.Count switch
        {
            1 => named[0].KeyId,
            0 => throw new UsageException($"No key has the id '{keyOrName}', and no active key that name; cirt keys list shows them."),
            _ => throw new UsageException(
                $"{named.Count} active keys are named '{keyOrName}' ({string.Join(", ", named.Select(k => k.KeyId))}): give the key id."),
        };
    }
}
