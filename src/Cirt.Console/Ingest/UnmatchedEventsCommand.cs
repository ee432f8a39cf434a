using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Ingest;

/// <summary>cirt ingest unmatched: events no stakeholder's constituency matched, newest first.</summary>
public sealed class UnmatchedEventsCommand(IAnsiConsole console) : CirtCommand<UnmatchedEventsCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--feed <FEED>")]
        [Description("Only events of this feed")]
        public string? Feed { get; init; }

        [CommandOption("--limit <N>")]
        [Description("How many to show (default 50, at most 500)")]
        public int Limit { get; init; } = 50;
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Ingest.ListUnmatchedEventsAsync(
            new ListUnmatchedEventsRequest { Feed = s.Feed ?? "", PageSize = s.Limit }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Write(response));
    }

    private void Write(ListUnmatchedEventsResponse response)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Observed").NoWrap()).AddColumn("Feed").AddColumn("Type").AddColumn("Source")
            .AddColumn("FQDN / URL").AddColumn("Malware").AddColumn("Producer")
            .Optional("Producer", "Malware");
        foreach (var u in response.Events)
        {
            var e = u.Event;
            table.AddRow(
                Times.Of(e.ObservedAt), Markup.Escape(e.Feed), Markup.Escape($"{e.RsitClass}/{e.RsitType}"),
                Markup.Escape(e.SourceIp + (e.SourceAsn > 0 ? $" AS{e.SourceAsn}" : "")),
                Markup.Escape(e.Fqdn.Length > 0 ? e.Fqdn : e.Url), Markup.Escape(e.MalwareFamily), Markup.Escape(u.Producer));
        }

        Console.Write(table);
        Console.MarkupLineInterpolated($"{response.Events.Count} of {response.TotalSize} unmatched event(s). Add the owners' prefixes, ASNs or domains to a stakeholder's constituency to route new events.");
    }
}
