using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stix;

/// <summary>
/// cirt stix export: an advisory or an incident as a STIX 2.1 bundle (CIRT staff), to standard
/// output or a file, for MISP, OpenCTI or TheHive.
/// </summary>
public sealed class ExportStixCommand(IAnsiConsole console) : CirtCommand<ExportStixCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<KIND>")]
        [Description("advisory or incident")]
        public string Kind { get; init; } = "";

        [CommandArgument(1, "<ID>")]
        [Description("The advisory's id (ADV-2026-0007) or the incident's tracking id (CIRT-2026-000042)")]
        public string Id { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("Write the bundle to this file (default: standard output)")]
        public string? Out { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var kind = Words.ItemKind(s.Kind);
        var response = await Waiting.ForAsync(Console, $"Exporting {s.Id} as STIX 2.1", async () => kind switch
        {
            SharedItemKind.Advisory => (IMessage)await client.Stix.ExportAdvisoryAsync(new ExportAdvisoryRequest { Id = s.Id }, cancellationToken: cancellationToken),
            _ => await client.Stix.ExportIncidentAsync(new ExportIncidentRequest { TrackingId = s.Id }, cancellationToken: cancellationToken),
        });
        var bundle = response switch
        {
            ExportAdvisoryResponse advisory => advisory.Bundle,
            _ => ((ExportIncidentResponse)response).Bundle,
        };
        if (s.Out is null)
        {
            // Unwrapped, byte for byte: this is JSON for another tool (with --output json: the response, bundle as a string).
            return Emit(s, response, () => Console.Profile.Out.Writer.Write(bundle.EndsWith('\n') ? bundle : bundle + "\n"));
        }

        try
        {
            await File.WriteAllTextAsync(s.Out, bundle, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{s.Out}' cannot be written: {ex.Message}");
        }

        return Emit(s, response, () => Console.MarkupLineInterpolated($"Wrote the STIX 2.1 bundle of {s.Id} ({Objects(bundle)}) to {s.Out}."));
    }

    private static string Objects(string bundle)
    {
        try
        {
            using var document = JsonDocument.Parse(bundle);
            return document.RootElement.TryGetProperty("objects", out var objects) && objects.ValueKind == JsonValueKind.Array
                ? $"{objects.GetArrayLength()} objects"
                : "no objects";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }
}
