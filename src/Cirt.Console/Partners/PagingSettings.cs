using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>Options of the partner lists that come in pages (outbox, egress, refusals).</summary>
public class PagingSettings : ConnectionSettings
{
    [CommandOption("--page-size <N>")]
    [Description("1 to 200 (default 50)")]
    public int PageSize { get; init; }

    [CommandOption("--page-token <TOKEN>")]
    [Description("The next page, as the previous one printed it")]
    public string? PageToken { get; init; }

    /// <summary>Says how to get the next page, when there is one.</summary>
    public void WriteNext(IAnsiConsole console, string nextPageToken)
    {
        if (nextPageToken.Length > 0)
        {
            console.MarkupLineInterpolated($"More: --page-token {nextPageToken}");
        }
    }
}
