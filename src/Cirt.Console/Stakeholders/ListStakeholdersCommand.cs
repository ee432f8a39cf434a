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
        // Every page, walked here: the answer is the whole directory, as one response.
        var request = new ListStakeholdersRequest { SectorCode = s.Sector ?? "", PageSize = 500 };
        var directory = new ListStakeholdersResponse();
        do
        {
            var page = await client.Stakeholders.ListStakeholdersAsync(request, cancellationToken: cancellationToken);
            directory.TotalSize = page.TotalSize;
            directory.Stakeholders.AddRange(page.Stakeholders);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return Emit(s, directory, () => Write(directory));
    }

    private void Write(ListStakeholdersResponse directory)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Id").NoWrap()).AddColumn("Name").AddColumn("Type").AddColumn("Sectors")
            .AddColumn("Country").AddColumn("NIS2").AddColumn("Constituency");
        foreach (var st in directory.Stakeholders)
        {
            var c = st.Constituency;
            table.AddRow(
                Markup.Escape(st.Id), Markup.Escape(st.Name), Words.Of(st.Type), Markup.Escape(string.Join(", ", st.SectorCodes)),
                Markup.Escape(st.Country), Words.Of(st.Nis2EntityClass),
                $"{c.IpPrefixes.Count} prefixes, {c.Asns.Count} ASNs, {c.Domains.Count} domains");
        }

        Console.Write(table);
        Console.MarkupLineInterpolated($"{directory.TotalSize} stakeholder(s).");
    }
}
