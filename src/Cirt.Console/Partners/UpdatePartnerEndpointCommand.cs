using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt partners endpoint: where a partner's Cirt listens and the API key it issued to us
/// (coordinators): once it has issued one, or after it moved or rotated it. What waits in the
/// outbox goes there from then on. The key is read from a file or standard input, never the command line.
/// </summary>
public sealed class UpdatePartnerEndpointCommand(IAnsiConsole console, StandardInput input) : CirtCommand<UpdatePartnerEndpointCommand.Settings>(console)
{
    public sealed class Settings : PartnerSettings
    {
        [CommandOption("--endpoint <URL>")]
        [Description("Where its Cirt server listens (by default: the one registered)")]
        public string? Endpoint { get; init; }

        [CommandOption("--outbound-key-file <FILE>")]
        [Description("A file holding the API key the partner issued to us (by default: keep the one held)")]
        public string? OutboundKeyFile { get; init; }

        [CommandOption("--outbound-key-stdin")]
        [Description("Read that API key from standard input instead")]
        public bool OutboundKeyStdin { get; init; }

        [CommandOption("--expected-version <N>")]
        [Description("Apply only if the partner is still at this version (by default: the version read just before)")]
        public long ExpectedVersion { get; init; }
    }

    /// <summary>
    /// The request the command line asks for, from the partner as it stands (<paramref name="current"/>):
    /// its endpoint is kept unless --endpoint replaces it.
    /// </summary>
    public static UpdatePartnerEndpointRequest Request(Settings s, Partner current, TextReader stdin)
    {
        CheckUsage(s);
        var outboundKey = s.OutboundKeyStdin ? stdin.ReadToEnd().Trim()
            : s.OutboundKeyFile is not null ? InputFile.Read(s.OutboundKeyFile, "--outbound-key-file", 64 * 1024).Trim()
            : "";
        if ((s.OutboundKeyStdin || s.OutboundKeyFile is not null) && outboundKey.Length == 0)
        {
            throw new UsageException(s.OutboundKeyStdin ? "--outbound-key-stdin: nothing was read from standard input." : $"--outbound-key-file '{s.OutboundKeyFile}' is empty.");
        }

        return new UpdatePartnerEndpointRequest
        {
            PartnerId = s.PartnerId,
            EndpointUrl = s.Endpoint?.Trim() ?? current.EndpointUrl,
            OutboundApiKey = outboundKey,
            ExpectedVersion = s.ExpectedVersion != 0 ? s.ExpectedVersion : current.Version,
        };
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        CheckUsage(s);
        var current = (await client.Partners.GetPartnerAsync(new GetPartnerRequest { PartnerId = s.PartnerId }, cancellationToken: cancellationToken)).Partner;
        var response = await client.Partners.UpdatePartnerEndpointAsync(Request(s, current, input.Reader), cancellationToken: cancellationToken);
        var partner = response.Partner;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated(
                $"Partner [bold]{partner.Id}[/] is reached at {partner.EndpointUrl} (version {partner.Version}); our key for it is {(partner.HasOutboundKey ? "held" : "not set")}.");
            if (partner.HasOutboundKey && partner.Delivery is { Queued: > 0 } delivery)
            {
                Console.MarkupLineInterpolated($"{delivery.Queued} queued message(s) go out in order.");
            }
        });
    }

    private static void CheckUsage(Settings s)
    {
        if (s.OutboundKeyFile is not null && s.OutboundKeyStdin)
        {
            throw new UsageException("Give the partner's API key once: --outbound-key-file FILE or --outbound-key-stdin, not both.");
        }

        if (s.Endpoint is null && s.OutboundKeyFile is null && !s.OutboundKeyStdin)
        {
            throw new UsageException("Nothing to change: give --endpoint URL and/or the key the partner issued to us (--outbound-key-file FILE or --outbound-key-stdin).");
        }
    }
}
