using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Feeds;

/// <summary>How feeds, their grants and counts look in the console.</summary>
public static class FeedView
{
    public static Table List(IEnumerable<Feed> feeds)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Feed").NoWrap()).AddColumn("Trust").AddColumn(new TableColumn("Quota").RightAligned())
            .AddColumn("Status").AddColumn(new TableColumn("Keys").RightAligned()).AddColumn("Description");
        foreach (var f in feeds)
        {
            table.AddRow(
                Markup.Escape(f.Name), Markup.Escape(Trust(f)), Markup.Escape(Quota(f)), Status(f),
                f.Grants.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(f.Description));
        }

        return table;
    }

    public static void Show(IAnsiConsole console, Feed f, FeedStats stats)
    {
        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Fact(string name, string markup) => facts.AddRow($"[bold]{name}[/]", markup);
        Fact("Feed", $"{Markup.Escape(f.Name)} (version {f.Version})");
        Fact("Trust", Markup.Escape(Trust(f)));
        Fact("Quota", Markup.Escape(Quota(f)));
        Fact("Severity", f.Severity == Contracts.V1.Severity.Unspecified ? "from the RSIT type of each event" : Words.Of(f.Severity));
        Fact("Status", Status(f) + (f.Suspended ? $": {Markup.Escape(f.SuspendedReason)} (by {Markup.Escape(f.SuspendedBy)}, {Times.Of(f.SuspendedAt)})" : ""));
        if (f.Description.Length > 0)
        {
            Fact("Description", Markup.Escape(f.Description));
        }

        Fact("Registered", $"{Times.Of(f.RegisteredAt)} by {Markup.Escape(f.RegisteredBy)}");
        Fact("Updated", $"{Times.Of(f.UpdatedAt)} by {Markup.Escape(f.UpdatedBy)}");
        Fact("Events", $"{stats.Stored:N0} stored ({stats.Duplicates:N0} duplicates, {stats.Unmatched:N0} unmatched), {stats.Resent:N0} resent, {stats.Rejected:N0} refused");
        console.Write(Tables.Box(facts, "Feed"));
        console.Write(Tables.Heading($"Keys that may publish it ({f.Grants.Count})"));
        if (f.Grants.Count == 0)
        {
            console.MarkupLine("[yellow]None[/]: every event of this feed is refused (cirt feeds grant).");
            return;
        }

        var grants = Tables.Compact().AddColumn("Key id").AddColumn("Key").AddColumn(new TableColumn("Granted").NoWrap()).AddColumn("By");
        foreach (var g in f.Grants)
        {
            grants.AddRow(Markup.Escape(g.KeyId), Markup.Escape(g.KeyName), Times.Of(g.GrantedAt), Markup.Escape(g.GrantedBy));
        }

        console.Write(grants);
    }

    /// <summary>"national", or "organisation of gridco (widened to firstbank)".</summary>
    public static string Trust(Feed f) => f.Trust switch
    {
        FeedTrust.National => "national: may report about any organisation",
        FeedTrust.Organisation => $"organisation of {f.OwnerStakeholderId}"
                                  + (f.WidenedStakeholderIds.Count > 0 ? $" (widened to {string.Join(", ", f.WidenedStakeholderIds)})" : "")
                                  + ": may report about those only",
        _ => "-",
    };

    public static string Quota(Feed f) => f.QuotaPerMinute == 0 ? "no limit" : $"{f.QuotaPerMinute:N0} events/min";

    /// <summary>A feed's settings as they stand, to change some of them.</summary>
    public static FeedSettings SettingsOf(Feed f)
    {
        var settings = new FeedSettings { OwnerStakeholderId = f.OwnerStakeholderId, Trust = f.Trust, Description = f.Description, QuotaPerMinute = f.QuotaPerMinute, Severity = f.Severity };
        settings.WidenedStakeholderIds.AddRange(f.WidenedStakeholderIds);
        return settings;
    }

    private static string Status(Feed f) => f.Suspended ? "[red]suspended[/]" : "[green]active[/]";
}
