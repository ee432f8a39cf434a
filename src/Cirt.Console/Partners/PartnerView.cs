using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>How partner CIRTs, their agreements, keys and deliveries look in the console.</summary>
public static class PartnerView
{
    public static Table List(IEnumerable<Partner> partners)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Partner").NoWrap()).AddColumn("Name").AddColumn("Country").AddColumn("Status")
            .AddColumn(new TableColumn("Up to").NoWrap()).AddColumn("Receives")
            .AddColumn(new TableColumn("Queued").RightAligned()).AddColumn(new TableColumn("Held").RightAligned())
            .AddColumn(new TableColumn("Delivered").RightAligned()).AddColumn(new TableColumn("Failed").RightAligned())
            .AddColumn("Circuit")
            .Optional("Name", "Receives", "Failed", "Delivered", "Held", "Country");
        foreach (var p in partners)
        {
            var d = p.Delivery ?? new DeliveryState();
            table.AddRow(
                Markup.Escape(p.Id), Markup.Escape(p.Name), Markup.Escape(p.Country), Status(p.Status),
                Words.Of(p.Agreement?.MaxTlp ?? Tlp.Unspecified), Markup.Escape(Kinds(p.Agreement)),
                Number(d.Queued), d.Held > 0 ? $"[yellow]{Number(d.Held)}[/]" : "0", Number(d.Delivered),
                d.Failed > 0 ? $"[red]{Number(d.Failed)}[/]" : "0", Circuit(d.Circuit));
        }

        return table;
    }

    public static void Show(IAnsiConsole console, Partner p)
    {
        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Fact(string name, string markup) => facts.AddRow($"[bold]{name}[/]", markup);
        Fact("Partner", $"{Markup.Escape(p.Id)} (version {p.Version})");
        Fact("Name", Markup.Escape(p.Name));
        Fact("Country", Markup.Escape(p.Country));
        Fact("Status", Status(p.Status) + (p.Status == PartnerStatus.Suspended && p.SuspendReason.Length > 0 ? ": " + Markup.Escape(p.SuspendReason) : ""));
        Fact("Endpoint", p.EndpointUrl.Length > 0 ? Markup.Escape(p.EndpointUrl) : "[grey]none (it reads our TAXII collection only)[/]");
        Fact("Our key for it", p.HasOutboundKey ? "held (never shown)"
            : p.EndpointUrl.Length > 0 ? "[yellow]none yet[/]: nothing is delivered until it is set (cirt partners endpoint)"
            : "[grey]none[/]");
        Fact("Registered", $"{Times.Of(p.RegisteredAt)} by {Markup.Escape(p.RegisteredBy)}");
        if (p.UpdatedAt is not null)
        {
            Fact("Updated", $"{Times.Of(p.UpdatedAt)} by {Markup.Escape(p.UpdatedBy)}");
        }

        console.Write(Tables.Box(facts, "Partner CIRT"));
        console.Write(Tables.Heading("Agreement (what it may receive; everything else is denied)"));
        console.Write(Agreement(p.Agreement ?? new SharingAgreement()));
        console.Write(Tables.Heading($"Signing keys ({p.Keys.Count})"));
        console.Write(Keys(p.Keys));
        console.Write(Tables.Heading("Deliveries"));
        console.Write(Delivery(p.Delivery ?? new DeliveryState()));
    }

    public static Grid Agreement(SharingAgreement a)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Up to[/]", Words.Of(a.MaxTlp) + (a.MaxTlp == Tlp.Amber ? " (TLP:AMBER+STRICT only for items that name it)" : "") + "; TLP:RED never");
        grid.AddRow("[bold]Sectors[/]", a.AllSectors ? "every sector" : a.Sectors.Count == 0 ? "[red]none[/]" : Markup.Escape(string.Join(", ", a.Sectors)));
        grid.AddRow("[bold]Receives[/]", Markup.Escape(Kinds(a)));
        grid.AddRow("[bold]Indicators[/]", a.Indicators ? "may leave" : "withheld");
        grid.AddRow("[bold]Names of affected organisations[/]", a.AffectedOrganisationNames ? "may leave" : "withheld");
        grid.AddRow("[bold]Personal data[/]", a.PersonalData switch
        {
            PersonalDataPolicy.Pseudonymised => "pseudonymised (victims' IP addresses as a keyed hash; e-mail addresses and phone numbers hold the item for approval)",
            _ => "none (personal data found holds the item for approval)",
        });
        grid.AddRow("[bold]Legal basis[/]", Markup.Escape(a.LegalBasis));
        grid.AddRow("[bold]Retention[/]", a.RetentionDays.ToString(CultureInfo.InvariantCulture) + " days");
        return grid;
    }

    public static Table Keys(IEnumerable<PartnerKey> keys)
    {
        var table = Tables.Compact().AddColumn("Fingerprint (SHA-256)").AddColumn(new TableColumn("Added").NoWrap())
            .AddColumn(new TableColumn("Valid until").NoWrap());
        foreach (var k in keys)
        {
            table.AddRow(Markup.Escape(k.Fingerprint), Times.Of(k.AddedAt),
                k.ValidUntil is null ? "[green]current key[/]"
                : k.ValidUntil.ToDateTimeOffset() <= DateTimeOffset.UtcNow ? $"[grey]{Times.Of(k.ValidUntil)} (expired)[/]"
                : $"[yellow]{Times.Of(k.ValidUntil)} (overlap)[/]");
        }

        return table;
    }

    public static Grid Delivery(DeliveryState d)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Messages[/]", string.Join(", ",
            $"{Number(d.Queued)} queued",
            d.Held > 0 ? $"[yellow]{Number(d.Held)} held for approval[/] (cirt partners outbox --state held)" : "0 held for approval",
            $"{Number(d.Delivered)} delivered",
            d.Failed > 0 ? $"[red]{Number(d.Failed)} failed[/]" : "0 failed"));
        if (d.LastDeliveredAt is not null)
        {
            grid.AddRow("[bold]Last delivered[/]", Times.Of(d.LastDeliveredAt));
        }

        grid.AddRow("[bold]Circuit[/]", Circuit(d.Circuit));
        if (d.LastError.Length > 0)
        {
            grid.AddRow("[bold]Last error[/]", $"{Markup.Escape(d.LastError)} ({Times.Of(d.LastErrorAt)})");
        }

        if (d.NextAttemptAt is not null)
        {
            grid.AddRow("[bold]Next attempt[/]", Times.Of(d.NextAttemptAt));
        }

        return grid;
    }

    /// <summary>"active", or "suspended" in red.</summary>
    public static string Status(PartnerStatus status) => status switch
    {
        PartnerStatus.Active => "[green]active[/]",
        PartnerStatus.Suspended => "[red]suspended[/]",
        _ => "-",
    };

    /// <summary>"advisories and incidents", "advisories", or "nothing".</summary>
    public static string Kinds(SharingAgreement? agreement)
    {
        var kinds = agreement?.Kinds.Select(k => k switch
        {
            SharedItemKind.Advisory => "advisories",
            SharedItemKind.Incident => "incidents",
            _ => Words.Of(k),
        }).ToArray() ?? [];
        return kinds.Length == 0 ? "nothing" : string.Join(" and ", kinds);
    }

    /// <summary>"cirt-de (DE), their ADV-2026-0003 version 2, route cirt-de → cirt-nl, re-shared".</summary>
    public static string Origin(ItemOrigin o) =>
        $"{o.InstanceId} ({o.Country}), their {o.ItemId} version {o.ItemVersion}, route {Route(o)}" + (o.Reshared ? ", re-shared" : "");

    /// <summary>The instances an item passed through, origin first: "cirt-de → cirt-nl".</summary>
    public static string Route(ItemOrigin o) => o.Route.Count > 0 ? string.Join(" → ", o.Route) : o.InstanceId;

    private static string Circuit(CircuitState state) => state switch
    {
        CircuitState.Open => $"[red]{Words.Of(state)}[/]",
        CircuitState.HalfOpen => $"[yellow]{Words.Of(state)}[/]",
        _ => Words.Of(state),
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
