using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Keys;

/// <summary>cirt keys issue: a new API key, shown once.</summary>
public sealed class IssueKeyCommand(IAnsiConsole console) : CirtCommand<IssueKeyCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "[NAME]")]
        [Description("Who will hold the key, as --name")]
        public string? NameArgument { get; init; }

        [CommandOption("--name <NAME>")]
        [Description("Who will hold the key, e.g. alice, gridco-soc or a partner CIRT's id (required, here or as the argument)")]
        public string Name { get; init; } = "";

        [CommandOption("--role <ROLE>")]
        [Description("operator, analyst, coordinator or partner (required)")]
        public string Role { get; init; } = "";

        [CommandOption("--stakeholder <ID>")]
        [Description("For operator keys: the organisation the key acts for")]
        public string? Stakeholder { get; init; }

        [CommandOption("--partner <ID>")]
        [Description("For partner keys: the partner CIRT")]
        public string? Partner { get; init; }

        [CommandOption("--key-only")]
        [Description("Print only the new key, e.g. for a shell variable: ALICE=$(cirt keys issue alice --role analyst --key-only)")]
        public bool KeyOnly { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        if (s.NameArgument is not null && s.Name.Length > 0 && s.NameArgument != s.Name)
        {
            throw new UsageException($"Give the key holder's name once: '{s.NameArgument}' or --name '{s.Name}'.");
        }

        var response = await client.Keys.IssueKeyAsync(new IssueKeyRequest
        {
            Name = s.NameArgument ?? s.Name,
            Role = s.Role.Length == 0 ? Contracts.V1.Role.Unspecified : Words.Role(s.Role),
            StakeholderId = s.Stakeholder ?? "",
            PartnerId = s.Partner ?? "",
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (s.KeyOnly)
            {
                // The key alone, for a script to keep (with --output json, the whole response instead).
                Console.Profile.Out.Writer.WriteLine(response.ApiKey);
                return;
            }

            Console.MarkupLineInterpolated($"Issued {KeyView.Describe(response.Key)}.");
            Console.MarkupLine("API key (shown once, store it safely):");
            Console.WriteLine(response.ApiKey);
        });
    }
}
