using System.ComponentModel;
using System.Globalization;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Advisories;

/// <summary>Settings of commands that act on one advisory.</summary>
public class AdvisorySettings : ConnectionSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("e.g. ADV-2026-0007")]
    public string Id { get; init; } = "";
}

/// <summary>cirt advisories list: newest first (operators: those delivered to their organisation).</summary>
public sealed class ListAdvisoriesCommand(IAnsiConsole console) : CirtCommand<ListAdvisoriesCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--unacknowledged")]
        [Description("Only advisories not yet acknowledged (operators: by their organisation)")]
        public bool Unacknowledged { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Advisories.ListAdvisoriesAsync(new ListAdvisoriesRequest { UnacknowledgedOnly = s.Unacknowledged }, cancellationToken: cancellationToken);
        return Emit(s, response, () =>
        {
            if (response.Advisories.Count == 0)
            {
                Console.MarkupLine(s.Unacknowledged ? "Nothing waits for an acknowledgement." : "No advisories.");
            }
            else
            {
                Console.Write(AdvisoryView.List(response.Advisories));
            }
        });
    }
}

/// <summary>cirt advisories show: one advisory in full.</summary>
public sealed class ShowAdvisoryCommand(IAnsiConsole console) : CirtCommand<AdvisorySettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, AdvisorySettings s, CancellationToken cancellationToken)
    {
        var response = await client.Advisories.GetAdvisoryAsync(new GetAdvisoryRequest { Id = s.Id }, cancellationToken: cancellationToken);
        return Emit(s, response, () => AdvisoryView.Show(Console, response.Advisory));
    }
}

/// <summary>cirt advisories create: draft an advisory (coordinators).</summary>
public sealed class CreateAdvisoryCommand(IAnsiConsole console) : CirtCommand<CreateAdvisoryCommand.Settings>(console)
{
    public sealed class Settings : ObservableSettings
    {
        [CommandOption("--title <TEXT>")]
        public string Title { get; init; } = "";

        [CommandOption("--summary <TEXT>")]
        public string Summary { get; init; } = "";

        [CommandOption("--tlp <LABEL>")]
        [Description("clear, green, amber, amber+strict (red cannot be delivered to organisations)")]
        public string Tlp { get; init; } = "amber";

        [CommandOption("--product <NAME>")]
        [Description("Affected product (repeatable)")]
        public string[] Products { get; init; } = [];

        [CommandOption("--affected-cve <CVE:SCORE>")]
        [Description("A CVE with its CVSS base score (repeatable), e.g. CVE-2026-12345:9.8")]
        public string[] AffectedCves { get; init; } = [];

        [CommandOption("--action <TEXT>")]
        [Description("Recommended action (repeatable)")]
        public string[] Actions { get; init; } = [];

        [CommandOption("--sector <CODE>")]
        [Description("Target sector: every member receives it (repeatable)")]
        public string[] Sectors { get; init; } = [];

        [CommandOption("--stakeholder <ID>")]
        [Description("Target stakeholder (repeatable)")]
        public string[] Stakeholders { get; init; } = [];

        [CommandOption("--incident <TRACKING-ID>")]
        [Description("The incident the advisory comes from")]
        public string? Incident { get; init; }

        [CommandOption("--partner <ID>")]
        [Description("A partner CIRT to share it with on publishing, as its agreement allows (repeatable)")]
        public string[] Partners { get; init; } = [];
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var content = new AdvisoryContent
        {
            Title = s.Title, Summary = s.Summary, Tlp = Words.Tlp(s.Tlp), IncidentTrackingId = s.Incident ?? "",
        };
        content.AffectedProducts.AddRange(s.Products);
        content.Cves.AddRange(s.AffectedCves.Select(ParseCve));
        content.RecommendedActions.AddRange(s.Actions);
        content.TargetSectors.AddRange(s.Sectors.Select(c => c.ToUpperInvariant()));
        content.TargetStakeholders.AddRange(s.Stakeholders);
        content.Indicators.AddRange(s.Observables());
        content.PartnerRecipients.AddRange(s.Partners);
        var response = await client.Advisories.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = content }, cancellationToken: cancellationToken);
        var advisory = response.Advisory;
        return Emit(s, response, () =>
            Console.MarkupLineInterpolated($"Advisory [bold]{advisory.Id}[/] drafted; publish it with: cirt advisories publish {advisory.Id}"));
    }

    /// <summary>"CVE-2026-12345:9.8" as a CVE with its CVSS base score.</summary>
    public static AffectedCve ParseCve(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !double.TryParse(text[(colon + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score))
        {
            throw new UsageException($"--affected-cve '{text}' is not CVE:SCORE (e.g. CVE-2026-12345:9.8).");
        }

        return new AffectedCve { CveId = text[..colon], CvssScore = score };
    }
}

/// <summary>cirt advisories publish: deliver a draft to its targets (coordinators).</summary>
public sealed class PublishAdvisoryCommand(IAnsiConsole console) : CirtCommand<AdvisorySettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, AdvisorySettings s, CancellationToken cancellationToken)
    {
        var response = await client.Advisories.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = s.Id }, cancellationToken: cancellationToken);
        var advisory = response.Advisory;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated($"Advisory [bold]{advisory.Id}[/] published to {advisory.Recipients.Count} stakeholder(s): {string.Join(", ", advisory.Recipients.Select(r => r.StakeholderId))}");
            AdvisoryView.WriteShares(Console, advisory, advisory.Content.PartnerRecipients);
        });
    }
}

/// <summary>cirt advisories withdraw: withdraw an advisory with a reason (coordinators).</summary>
public sealed class WithdrawAdvisoryCommand(IAnsiConsole console) : CirtCommand<WithdrawAdvisoryCommand.Settings>(console)
{
    public sealed class Settings : AdvisorySettings
    {
        [CommandOption("--reason <TEXT>")]
        public string Reason { get; init; } = "";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Advisories.WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = s.Id, Reason = s.Reason }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Console.MarkupLineInterpolated($"Advisory [bold]{response.Advisory.Id}[/] withdrawn."));
    }
}

/// <summary>cirt advisories ack: acknowledge an advisory delivered to one's organisation (operators).</summary>
public sealed class AcknowledgeAdvisoryCommand(IAnsiConsole console) : CirtCommand<AdvisorySettings>(console)
{
    protected override async Task<int> RunAsync(CirtClient client, AdvisorySettings s, CancellationToken cancellationToken)
    {
        var response = await client.Advisories.AcknowledgeAdvisoryAsync(new AcknowledgeAdvisoryRequest { Id = s.Id }, cancellationToken: cancellationToken);
        return Emit(s, response, () => Console.MarkupLineInterpolated($"Advisory [bold]{response.Advisory.Id}[/] acknowledged."));
    }
}
