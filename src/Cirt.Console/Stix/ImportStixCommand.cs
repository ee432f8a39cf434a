using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stix;

/// <summary>cirt stix import: a STIX 2.1 bundle as a draft advisory, for a coordinator to review and publish.</summary>
public sealed class ImportStixCommand(IAnsiConsole console) : CirtCommand<ImportStixCommand.Settings>(console)
{
    /// <summary>The largest bundle the server takes.</summary>
    public const long MaxBundleBytes = 4 * 1024 * 1024;

    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The bundle, JSON (at most 4 MiB)")]
        public string File { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var bundle = InputFile.Read(s.File, "bundle", MaxBundleBytes);
        var response = await Waiting.ForAsync(Console, $"Importing {s.File}", async () =>
            await client.Stix.ImportBundleAsync(new ImportBundleRequest { Bundle = bundle }, cancellationToken: cancellationToken));
        return Emit(s, response, () => Write(s, response));
    }

    private void Write(Settings s, ImportBundleResponse response)
    {
        var advisory = response.Advisory;
        Console.MarkupLineInterpolated($"Imported {s.File} as draft advisory [bold]{advisory.Id}[/] ({Words.Of(advisory.Content.Tlp)}): {advisory.Content.Title}");
        if (advisory.Content.Tlp == Tlp.Red)
        {
            Console.MarkupLine("[yellow]TLP:RED[/]: the bundle says so, or carries a marking Cirt does not know (treated as RED). It cannot be published to organisations as it is.");
        }

        if (response.Skipped.Count == 0)
        {
            Console.MarkupLine("Nothing was skipped.");
        }
        else
        {
            Console.MarkupLine("Not carried over (review before publishing):");
            foreach (var skipped in response.Skipped)
            {
                Console.MarkupLineInterpolated($"  - {skipped}");
            }
        }

        Console.MarkupLineInterpolated($"Review it with cirt advisories show {advisory.Id}, add targets with cirt advisories update, then publish it.");
    }
}
