using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt partners add-key: register a partner's new signing key beside its current ones
/// (coordinators); the old keys keep verifying for the overlap.
/// </summary>
public sealed class AddPartnerKeyCommand(IAnsiConsole console) : CirtCommand<AddPartnerKeyCommand.Settings>(console)
{
    public sealed class Settings : PartnerSettings
    {
        [CommandOption("--public-key-file <FILE>")]
        [Description("The partner's new public signing key, PEM (required)")]
        public string? PublicKeyFile { get; init; }

        [CommandOption("--overlap-days <N>")]
        [Description("How long its keys registered before stay valid, 0 to 30 days (required; 0: they stop at once)")]
        public int? OverlapDays { get; init; }
    }

    /// <summary>The request the command line asks for.</summary>
    public static AddPartnerKeyRequest Request(Settings s)
    {
        if (string.IsNullOrWhiteSpace(s.PublicKeyFile))
        {
            throw new UsageException("Give --public-key-file FILE: the partner's new public signing key (PEM).");
        }

        if (s.OverlapDays is not { } overlapDays)
        {
            throw new UsageException("Give --overlap-days N: how long the partner's older keys stay valid (0 to 30; 0 stops them at once).");
        }

        return new AddPartnerKeyRequest
        {
            PartnerId = s.PartnerId,
            PublicKey = InputFile.Read(s.PublicKeyFile, "--public-key-file", 64 * 1024).Trim(),
            OverlapDays = overlapDays,
        };
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Partners.AddPartnerKeyAsync(Request(s), cancellationToken: cancellationToken);
        var partner = response.Partner;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated($"New signing key registered for [bold]{partner.Id}[/]:");
            Console.Write(PartnerView.Keys(partner.Keys));
        });
    }
}
