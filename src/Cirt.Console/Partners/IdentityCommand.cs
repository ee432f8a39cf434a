using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// cirt identity: this instance as partners register it (id, country, key fingerprint, endpoint,
/// TAXII URL) and its public key, to hand to them (CIRT staff).
/// </summary>
public sealed class IdentityCommand(IAnsiConsole console) : CirtCommand<IdentityCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--key-only")]
        [Description("Print only the public key (PEM), e.g. to write it to a file for a partner")]
        public bool KeyOnly { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var identity = await client.Partners.GetLocalIdentityAsync(new GetLocalIdentityRequest(), cancellationToken: cancellationToken);
        if (s.WantsJson)
        {
            return Emit(s, identity, () => { });
        }

        if (s.KeyOnly)
        {
            // Unwrapped, byte for byte: this goes to a file.
            Console.Profile.Out.Writer.Write(Pem(identity.PublicKey));
            return 0;
        }

        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        facts.AddRow("[bold]Instance[/]", Markup.Escape(identity.InstanceId));
        facts.AddRow("[bold]Country[/]", Markup.Escape(identity.Country));
        facts.AddRow("[bold]Key fingerprint[/]", Markup.Escape(identity.Fingerprint) + " (SHA-256)");
        facts.AddRow("[bold]Endpoint[/]", Markup.Escape(identity.EndpointUrl));
        facts.AddRow("[bold]TAXII[/]", identity.TaxiiUrl.Length > 0 ? Markup.Escape(identity.TaxiiUrl) : "[grey]-[/]");
        Console.Write(Tables.Box(facts, "This Cirt instance"));
        Console.MarkupLine("Public signing key, for partners to register (cirt identity --key-only > key.pem writes it to a file):");
        Console.Profile.Out.Writer.Write(Pem(identity.PublicKey));
        Console.MarkupLine("Partners should check the fingerprint with you by another channel.");
        return 0;
    }

    private static string Pem(string publicKey) => publicKey.TrimEnd() + "\n";
}
