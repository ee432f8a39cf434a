using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Sectors;

/// <summary>cirt sectors alert: set a sector's alert level by hand (coordinators), or clear it.</summary>
public sealed class SetAlertLevelCommand(IAnsiConsole console) : CirtCommand<SetAlertLevelCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<CODE>")]
        [Description("Sector code, e.g. ENERGY")]
        public string Code { get; init; } = "";

        [CommandArgument(1, "<LEVEL>")]
        [Description("1 (normal) to 5 (critical), or 'clear'")]
        public string Level { get; init; } = "";

        [CommandOption("--reason <TEXT>")]
        [Description("Required when setting a level")]
        public string Reason { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var level = s.Level.Equals("clear", StringComparison.OrdinalIgnoreCase) ? 0
            : int.TryParse(s.Level, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : throw new UsageException($"'{s.Level}' is not an alert level; use 1 to 5, or clear.");
        var response = await client.Sectors.SetAlertLevelAsync(new SetAlertLevelRequest
        {
            Code = s.Code.ToUpperInvariant(), Level = level, Reason = s.Reason,
        }, cancellationToken: cancellationToken);
        Console.MarkupLine($"{Markup.Escape(s.Code.ToUpperInvariant())} is at alert level {ShowSectorCommand.Level(response.AlertLevel)} ({Markup.Escape(response.AlertBasis)})");
        return 0;
    }
}
