using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Sectors;

/// <summary>cirt sectors list: the critical sectors.</summary>
public sealed class ListSectorsCommand(IAnsiConsole console) : CirtCommand<ConnectionSettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, ConnectionSettings s, CancellationToken cancellationToken)
    {
        var response = await client.Sectors.ListSectorsAsync(new ListSectorsRequest(), cancellationToken: cancellationToken);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Code").NoWrap()).AddColumn("Name").AddColumn("NIS2")
            .AddColumn(new TableColumn("Stakeholders").RightAligned()).AddColumn(new TableColumn("Open incidents").RightAligned());
        foreach (var sector in response.Sectors)
        {
            table.AddRow(
                Markup.Escape(sector.Code), Markup.Escape(sector.Name), AnnexWord(sector.Annex),
                sector.StakeholderIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                sector.OpenIncidentCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Console.Write(table);
        Console.MarkupLineInterpolated($"{response.Sectors.Count} sector(s).");
        return 0;
    }

    public static string AnnexWord(Nis2Annex annex) => annex switch
    {
        Nis2Annex.I => "Annex I",
        Nis2Annex.Ii => "Annex II",
        _ => "-",
    };
}
