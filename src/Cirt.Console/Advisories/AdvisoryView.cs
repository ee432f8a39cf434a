using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Console.Partners;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Advisories;

/// <summary>How advisories look in the console.</summary>
public static class AdvisoryView
{
    public static Table List(IEnumerable<Advisory> advisories)
    {
        var table = Tables.Create().AddColumn("Advisory").AddColumn("Status").AddColumn("TLP").AddColumn("Title")
            .AddColumn(new TableColumn("Acknowledged").RightAligned()).AddColumn(new TableColumn("Overdue").RightAligned());
        foreach (var a in advisories)
        {
            table.AddRow(Markup.Escape(a.Id), Words.Of(a.Status), Words.Of(a.Content.Tlp),
                (a.Origin is null ? "" : $"[blue](from {Markup.Escape(a.Origin.InstanceId)})[/] ") + Markup.Escape(a.Content.Title),
                $"{a.Recipients.Count(r => r.AcknowledgedAt is not null)}/{a.Recipients.Count}",
                a.Recipients.Count(r => r.Overdue) is var overdue and > 0 ? $"[bold red]{overdue}[/]" : "0");
        }

        return table;
    }

    public static void Show(IAnsiConsole console, Advisory a)
    {
        var c = a.Content;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Advisory[/]", $"{Markup.Escape(a.Id)} (version {a.Version}), {Words.Of(a.Status)}");
        grid.AddRow("[bold]Title[/]", Markup.Escape(c.Title));
        grid.AddRow("[bold]TLP[/]", Words.Of(c.Tlp));
        grid.AddRow("[bold]Published[/]", Times.Of(a.PublishedAt));
        if (a.WithdrawnAt is not null)
        {
            grid.AddRow("[bold]Withdrawn[/]", $"{Times.Of(a.WithdrawnAt)}: {Markup.Escape(a.WithdrawReason)}");
        }

        grid.AddRow("[bold]Products[/]", Markup.Escape(string.Join(", ", c.AffectedProducts)));
        grid.AddRow("[bold]CVEs[/]", Markup.Escape(string.Join(", ", c.Cves.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.CveId} (CVSS {v.CvssScore:0.0}, {Words.Of(v.Severity)})")))));
        grid.AddRow("[bold]Targets[/]", Markup.Escape(string.Join(", ", c.TargetSectors.Concat(c.TargetStakeholders))));
        if (c.PartnerRecipients.Count > 0)
        {
            grid.AddRow("[bold]Partner CIRTs[/]", Markup.Escape(string.Join(", ", c.PartnerRecipients)));
        }

        if (a.Origin is not null)
        {
            grid.AddRow("[bold]Received from[/]", Markup.Escape(PartnerView.Origin(a.Origin)) + " [grey](only its origin changes or withdraws it)[/]");
        }
        if (c.IncidentTrackingId.Length > 0)
        {
            grid.AddRow("[bold]Incident[/]", Markup.Escape(c.IncidentTrackingId));
        }

        console.Write(Tables.Box(grid, "Advisory"));
        console.WriteLine(c.Summary);
        if (c.RecommendedActions.Count > 0)
        {
            console.Write(Tables.Heading("Recommended actions"));
            foreach (var action in c.RecommendedActions)
            {
                console.MarkupLineInterpolated($"- {action}");
            }
        }

        if (c.Indicators.Count > 0)
        {
            console.Write(Tables.Heading($"Indicators ({c.Indicators.Count})"));
            foreach (var o in c.Indicators)
            {
                console.MarkupLineInterpolated($"{Words.Of(o.Type)} {o.Value} {o.Comment}");
            }
        }

        if (a.Recipients.Count > 0)
        {
            var recipients = Tables.Compact().AddColumn("Stakeholder").AddColumn(new TableColumn("Delivered").NoWrap())
                .AddColumn(new TableColumn("Acknowledged").NoWrap()).AddColumn("By").AddColumn(new TableColumn("Reminders").RightAligned());
            foreach (var r in a.Recipients)
            {
                recipients.AddRow(Markup.Escape(r.StakeholderId), Times.Of(r.DeliveredAt),
                    r.AcknowledgedAt is null ? (r.Overdue ? "[bold red]overdue[/]" : "[yellow]not yet[/]") : Times.Of(r.AcknowledgedAt),
                    Markup.Escape(r.AcknowledgedBy), r.Reminders.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(Tables.Heading("Recipients"));
            console.Write(recipients);
        }

        if (a.PartnerShares.Count > 0)
        {
            console.Write(Tables.Heading("Shared with partner CIRTs"));
            console.Write(PartnerShares(a.PartnerShares));
        }

        if (a.FormerRecipients.Count > 0)
        {
            // Organisations an update took off: each still sees only the version it was last sent.
            var former = Tables.Compact().AddColumn("Stakeholder").AddColumn(new TableColumn("Taken off").NoWrap())
                .AddColumn("By").AddColumn(new TableColumn("Keeps version").RightAligned());
            foreach (var f in a.FormerRecipients)
            {
                former.AddRow(Markup.Escape(f.StakeholderId), Times.Of(f.RemovedAt), Markup.Escape(f.RemovedBy),
                    f.LastVersion.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(Tables.Heading("No longer addressed to"));
            console.Write(former);
        }
    }

    /// <summary>Advisories received from partner CIRTs, with where each comes from.</summary>
    public static Table Received(IEnumerable<Advisory> advisories)
    {
        var table = Tables.Create().AddColumn(new TableColumn("Advisory").NoWrap()).AddColumn("Status").AddColumn("TLP")
            .AddColumn("Title").AddColumn("From").AddColumn(new TableColumn("Their id").NoWrap()).AddColumn("Route").AddColumn(new TableColumn("Received").NoWrap())
            .Optional("Route", "Their id", "Received");
        foreach (var a in advisories)
        {
            var o = a.Origin ?? new ItemOrigin();
            table.AddRow(Markup.Escape(a.Id), Words.Of(a.Status), Words.Of(a.Content.Tlp), Markup.Escape(a.Content.Title),
                Markup.Escape($"{o.InstanceId} ({o.Country})"), Markup.Escape($"{o.ItemId} v{o.ItemVersion}"),
                Markup.Escape(PartnerView.Route(o)) + (o.Reshared ? " [yellow](re-shared)[/]" : ""), Times.Of(a.CreatedAt));
        }

        return table;
    }

    /// <summary>What sharing came to for each partner: state, message, version, or why the agreement refused it.</summary>
    public static Table PartnerShares(IEnumerable<AdvisoryPartnerShare> shares)
    {
        var table = Tables.Compact().AddColumn("Partner").AddColumn("State").AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn(new TableColumn("Message").NoWrap()).AddColumn("Not shared because");
        foreach (var share in shares)
        {
            table.AddRow(Markup.Escape(share.PartnerId),
                share.RefusedReason.Length > 0 ? "[red]refused[/]" : OutboxView.State(share.State),
                share.Version > 0 ? share.Version.ToString(CultureInfo.InvariantCulture) : "-",
                Markup.Escape(share.MessageId.Length > 0 ? share.MessageId : "-"), Markup.Escape(share.RefusedReason));
        }

        return table;
    }

    /// <summary>One line per partner in <paramref name="partnerIds"/>: what sharing the advisory with it came to.</summary>
    public static void WriteShares(IAnsiConsole console, Advisory advisory, IEnumerable<string> partnerIds)
    {
        foreach (var partnerId in partnerIds.Distinct())
        {
            var share = advisory.PartnerShares.FirstOrDefault(s => s.PartnerId == partnerId);
            if (share is null)
            {
                console.MarkupLineInterpolated($"  {partnerId}: nothing queued yet (it is sent when the advisory is published)");
            }
            else if (share.RefusedReason.Length > 0)
            {
                console.MarkupLineInterpolated($"  {partnerId}: [red]not shared[/]: {share.RefusedReason}");
            }
            else if (share.State == OutboxState.Held)
            {
                console.MarkupLineInterpolated(
                    $"  {partnerId}: [yellow]held for approval[/] (message {share.MessageId}): personal data was found; a coordinator reviews it with cirt partners message {share.MessageId}, then approves or discards it");
            }
            else
            {
                console.MarkupLineInterpolated($"  {partnerId}: {Markup.Remove(OutboxView.State(share.State))} (message {share.MessageId}, version {share.Version})");
            }
        }
    }
}
