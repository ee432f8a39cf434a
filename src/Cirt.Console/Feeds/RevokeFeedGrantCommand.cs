using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>cirt feeds revoke: take a key's grant of a feed back (coordinators).</summary>
public sealed class RevokeFeedGrantCommand(IAnsiConsole console) : CirtCommand<FeedKeySettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, FeedKeySettings s, CancellationToken cancellationToken)
    {
        var keyId = s.KeyId ?? throw new UsageException("Give --key-id KEY-ID: the key whose grant ends.");
        var response = await client.Feeds.RevokeFeedGrantAsync(new RevokeFeedGrantRequest { Name = s.Name, KeyId = keyId }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"Key [bold]{keyId}[/] may no longer publish feed [bold]{response.Feed.Name}[/]: its next events of it are refused."));
    }
}
