using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stakeholders;

/// <summary>cirt stakeholders show: one stakeholder with contacts and constituency.</summary>
public sealed class ShowStakeholderCommand(IAnsiConsole console) : CirtCommand<ShowStakeholderCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("Stakeholder id, e.g. gridco")]
        public string Id { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Stakeholders.GetStakeholderAsync(new GetStakeholderRequest { Id = s.Id }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(response.Stakeholder));
    }

    private void Write(Stakeholder st)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Id[/]", Markup.Escape(st.Id));
        grid.AddRow("[bold]Name[/]", Markup.Escape(st.Name));
        grid.AddRow("[bold]Type[/]", Words.Of(st.Type));
        grid.AddRow("[bold]Sectors[/]", Markup.Escape(string.Join(", ", st.SectorCodes)));
        grid.AddRow("[bold]Country[/]", Markup.Escape(st.Country));
        grid.AddRow("[bold]NIS2 entity[/]", Words.Of(st.Nis2EntityClass));
        grid.AddRow("[bold]Trust service provider[/]", st.TrustServiceProvider
            ? "yes: notifies within 24 h for incidents affecting its trust services (NIS2 Art. 23(4)(b))"
            : "no");
        grid.AddRow("[bold]IP prefixes[/]", Markup.Escape(string.Join(", ", st.Constituency.IpPrefixes)));
        grid.AddRow("[bold]ASNs[/]", Markup.Escape(string.Join(", ", st.Constituency.Asns.Select(a => "AS" + a))));
        grid.AddRow("[bold]Domains[/]", Markup.Escape(string.Join(", ", st.Constituency.Domains)));
        grid.AddRow("[bold]Version[/]", st.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (st.VerificationRequestedAt is not null)
        {
            grid.AddRow("[bold]Verification[/]", $"[yellow]requested {Times.Of(st.VerificationRequestedAt)}[/]: confirm with cirt stakeholders confirm-contacts {Markup.Escape(st.Id)}");
        }
        Console.Write(Tables.Box(grid, "Stakeholder"));

        var contacts = Tables.Compact().AddColumn("Name").AddColumn("Role").AddColumn("E-mail").AddColumn("Phone").AddColumn("Verified");
        foreach (var c in st.Contacts)
        {
            contacts.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Role), Markup.Escape(c.Email), Markup.Escape(c.Phone),
                (c.Stale ? "[bold red]STALE[/] " : "") + Times.Of(c.VerifiedAt));
        }

        Console.Write(Tables.Heading($"Contacts ({st.Contacts.Count}{(st.StaleContactCount > 0 ? $", {st.StaleContactCount} stale" : "")})"));
        Console.Write(contacts);
    }
}
