using System.ComponentModel;
using System.Globalization;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Admin;

/// <summary>cirt admin backup: a consistent copy of the running server's data folder, on the server.</summary>
public sealed class BackupCommand(IAnsiConsole console) : CirtCommand<BackupCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--to <NAME>")]
        [Description("The backup's folder name under backups/ in the server's data folder (letters, digits, '.', '_', '-'); default: the UTC time")]
        public string? To { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var backup = await client.Admin.BackupAsync(new BackupRequest { Name = s.To ?? "" }, cancellationToken: cancellationToken);
        return Emit(s, backup, () => Write(backup));
    }

    private void Write(BackupResponse backup)
    {
        var table = Tables.Create().AddColumn("File").AddColumn(new TableColumn("Bytes").RightAligned()).AddColumn("SHA-256");
        foreach (var file in backup.Files)
        {
            table.AddRow(Markup.Escape(file.Name), file.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), file.Sha256);
        }

        Console.Write(table);
        Console.MarkupLineInterpolated(
            $"Backup written on the server to [bold]{backup.Folder}[/], consistent at {Times.Precise(backup.ConsistentAt)} (ingest log position {backup.IngestLogPosition}; writers held {backup.WritersPaused.ToTimeSpan().TotalMilliseconds:0.#} ms, the ingest log {backup.IngestLogPaused.ToTimeSpan().TotalMilliseconds:0.#} ms).");
        Console.MarkupLine("It holds the server's keys: copy it off the machine to storage only its operators can read.");
    }
}
