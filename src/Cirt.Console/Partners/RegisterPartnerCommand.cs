using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt partners register: a partner CIRT with its public key, endpoint and agreement
/// (coordinators). The API key the partner issued to us is read from a file or standard input, so
/// that it never sits in a shell's history.
/// </summary>
public sealed class RegisterPartnerCommand(IAnsiConsole console, StandardInput input) : CirtCommand<RegisterPartnerCommand.Settings>(console)
{
    public sealed class Settings : AgreementSettings
    {
        [CommandOption("--name <NAME>")]
        [Description("The partner's name, e.g. CERT-Bund (required)")]
        public string? Name { get; init; }

        [CommandOption("--country <CC>")]
        [Description("ISO 3166-1 alpha-2 code of its country, e.g. DE (required)")]
        public string? Country { get; init; }

        [CommandOption("--endpoint <URL>")]
        [Description("Where its Cirt server listens (its cirt identity shows it); leave out for a partner that only reads our TAXII collection")]
        public string? Endpoint { get; init; }

        [CommandOption("--public-key-file <FILE>")]
        [Description("Its public signing key, PEM (what cirt identity --key-only prints there; required)")]
        public string? PublicKeyFile { get; init; }

        [CommandOption("--outbound-key-file <FILE>")]
        [Description("A file holding the API key the partner issued to us (role partner there), to deliver to it with; if it has none for us yet, give it later with cirt partners endpoint")]
        public string? OutboundKeyFile { get; init; }

        [CommandOption("--outbound-key-stdin")]
        [Description("Read that API key from standard input instead")]
        public bool OutboundKeyStdin { get; init; }
    }

    /// <summary>The request the command line asks for; <paramref name="stdin"/> is read only for --outbound-key-stdin.</summary>
    public static RegisterPartnerRequest Request(Settings s, TextReader stdin)
    {
        if (string.IsNullOrWhiteSpace(s.Name))
        {
            throw new UsageException("Give --name: the partner's name, e.g. CERT-Bund.");
        }

        if (string.IsNullOrWhiteSpace(s.Country))
        {
            throw new UsageException("Give --country: the ISO 3166-1 alpha-2 code of the partner's country, e.g. DE.");
        }

        if (string.IsNullOrWhiteSpace(s.PublicKeyFile))
        {
            throw new UsageException("Give --public-key-file FILE: the partner's public signing key (PEM), as its cirt identity --key-only prints it.");
        }

        if (s.OutboundKeyFile is not null && s.OutboundKeyStdin)
        {
            throw new UsageException("Give the partner's API key once: --outbound-key-file FILE or --outbound-key-stdin, not both.");
        }

        var hasEndpoint = !string.IsNullOrWhiteSpace(s.Endpoint);
        var hasOutboundKey = s.OutboundKeyFile is not null || s.OutboundKeyStdin;
        if (hasOutboundKey && !hasEndpoint)
        {
            throw new UsageException("An outbound API key is used only to call the partner's endpoint: give --endpoint URL too.");
        }

        var agreement = s.Agreement();
        var publicKey = InputFile.Read(s.PublicKeyFile, "--public-key-file", 64 * 1024).Trim();
        var outboundKey = s.OutboundKeyStdin ? stdin.ReadToEnd().Trim()
            : s.OutboundKeyFile is not null ? InputFile.Read(s.OutboundKeyFile, "--outbound-key-file", 64 * 1024).Trim()
            : "";
        if (hasOutboundKey && outboundKey.Length == 0)
        {
            throw new UsageException(s.OutboundKeyStdin ? "--outbound-key-stdin: nothing was read from standard input." : $"--outbound-key-file '{s.OutboundKeyFile}' is empty.");
        }

        return new RegisterPartnerRequest
        {
            Id = s.PartnerId,
            Name = s.Name.Trim(),
            Country = s.Country.Trim().ToUpperInvariant(),
            EndpointUrl = s.Endpoint?.Trim() ?? "",
            PublicKey = publicKey,
            OutboundApiKey = outboundKey,
            Agreement = agreement,
        };
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.RegisterPartnerAsync(Request(s, input.Reader), cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(response.Partner));
    }

    private void Write(Partner partner)
    {
        Console.MarkupLineInterpolated($"Registered partner [bold]{partner.Id}[/] ({partner.Name}, {partner.Country}).");
        PartnerView.Show(Console, partner);
        Console.MarkupLine("Check the key's fingerprint with the partner by another channel before anything is exchanged.");
        if (partner.EndpointUrl.Length > 0 && !partner.HasOutboundKey)
        {
            Console.MarkupLineInterpolated(
                $"Nothing is delivered to it until we hold the key it issues us: [bold]cirt partners endpoint {partner.Id} --outbound-key-file FILE[/]");
        }

        Console.MarkupLineInterpolated(
            $"For it to deliver to us, issue it a key and send that by a safe channel: [bold]cirt keys issue --name {partner.Id} --role partner --partner {partner.Id}[/]");
    }
}
