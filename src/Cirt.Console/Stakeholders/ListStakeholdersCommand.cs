using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stakeholders;

/// <summary>cirt stakeholders list: the directory.</summary>
public sealed class ListStakeholdersCommand(IAnsiConsole console) : CirtCommand<ListStakeholdersCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--sector <CODE>")]
        [Description("Only stakeholders of this sector")]
        public string? Sector { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Id").NoWrap()).AddColumn("Name").AddColumn("Type").AddColumn("Sectors")
            .AddColumn("Country").AddColumn("NIS2").AddColumn("Constituency");
        var request = new ListStakeholdersRequest { SectorCode = s.Sector ?? "", PageSize = 500 };
        var total = 0;
        do
        {
            var response = await client.Stakeholders.ListStakeholdersAsync(request, cancellationToken: cancellationToken);
            total = response.TotalSize;
            foreach (var st in response.Stakeholders)
            {
                var c = st.Constituency;
                table.AddRow(
                    Markup.Escape(st.Id), Markup.Escape(st.Name), Words.Of(st.Type), Markup.Escape(string.Join(", ", st.SectorCodes)),
                    Markup.Escape(st.Country), Words.Of(st.Nis2EntityClass),
                    $"{c.IpPrefixes.Count} prefixes, {c.Asns.Count} ASNs, {c.Domains.Count} domains");
            }

            request.PageToken = response.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Console.Write(table);
        Console.MarkupLineInterpolated($"{total} stakeholder(s).");
        return 0;
    }
}
