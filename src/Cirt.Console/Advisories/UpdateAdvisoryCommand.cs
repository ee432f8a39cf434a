using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Advisories;

/// <summary>
/// cirt advisories update: change an advisory (coordinators). What is given replaces that part (a
/// repeatable option replaces the whole list); the rest stays as it is. Once published, its
/// recipients, stakeholders and partner CIRTs alike, get the new version.
/// </summary>
public sealed class UpdateAdvisoryCommand(IAnsiConsole console) : CirtCommand<UpdateAdvisoryCommand.Settings>(console)
{
    public sealed class Settings : ObservableSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("e.g. ADV-2026-0007")]
        public string Id { get; init; } = "";

        [CommandOption("--title <TEXT>")]
        public string? Title { get; init; }

        [CommandOption("--summary <TEXT>")]
        public string? Summary { get; init; }

        [CommandOption("--tlp <LABEL>")]
        [Description("clear, green, amber, amber+strict")]
        public string? Tlp { get; init; }

        [CommandOption("--product <NAME>")]
        [Description("Affected product (repeatable; replaces the list)")]
        public string[] Products { get; init; } = [];

        [CommandOption("--affected-cve <CVE:SCORE>")]
        [Description("A CVE with its CVSS base score (repeatable; replaces the list)")]
        public string[] AffectedCves { get; init; } = [];

        [CommandOption("--action <TEXT>")]
        [Description("Recommended action (repeatable; replaces the list)")]
        public string[] Actions { get; init; } = [];

        [CommandOption("--sector <CODE>")]
        [Description("Target sector (repeatable; replaces the list)")]
        public string[] Sectors { get; init; } = [];

        [CommandOption("--stakeholder <ID>")]
        [Description("Target stakeholder (repeatable; replaces the list)")]
        public string[] Stakeholders { get; init; } = [];

        [CommandOption("--incident <TRACKING-ID>")]
        [Description("The incident the advisory comes from")]
        public string? Incident { get; init; }

        [CommandOption("--partner <ID>")]
        [Description("A partner CIRT to share it with (repeatable; replaces the partner recipients)")]
        public string[] Partners { get; init; } = [];

        [CommandOption("--expected-version <N>")]
        [Description("Apply only if the advisory is still at this version (by default: the version read just before)")]
        public long ExpectedVersion { get; init; }
    }

    /// <summary>
    /// <paramref name="current"/> with what the command line gives in place of its parts; a usage
    /// error when it gives nothing to change (the indicators are the observable options: --ip, --domain...).
    /// </summary>
    public static AdvisoryContent Apply(AdvisoryContent current, Settings s)
    {
        var indicators = s.Observables().ToArray();
        if (s.Title is null && s.Summary is null && s.Tlp is null && s.Incident is null && indicators.Length == 0
            && s.Products.Length + s.AffectedCves.Length + s.Actions.Length + s.Sectors.Length + s.Stakeholders.Length + s.Partners.Length == 0)
        {
            throw new UsageException("Nothing to change: give what replaces the advisory's parts (--title, --summary, --tlp, --sector, --partner...).");
        }

        var content = current.Clone();
        content.Title = s.Title ?? content.Title;
        content.Summary = s.Summary ?? content.Summary;
        content.Tlp = s.Tlp is null ? content.Tlp : Words.Tlp(s.Tlp);
        content.IncidentTrackingId = s.Incident ?? content.IncidentTrackingId;
        Replace(content.AffectedProducts, s.Products);
        Replace(content.Cves, s.AffectedCves.Select(CreateAdvisoryCommand.ParseCve).ToArray());
        Replace(content.RecommendedActions, s.Actions);
        Replace(content.TargetSectors, s.Sectors.Select(c => c.ToUpperInvariant()).ToArray());
        Replace(content.TargetStakeholders, s.Stakeholders);
        Replace(content.Indicators, indicators);
        Replace(content.PartnerRecipients, s.Partners.Distinct().ToArray());
        return content;
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        // Check the command line before reading the advisory: nothing to change is a usage error.
        Apply(new AdvisoryContent(), s);
        var current = (await client.Advisories.GetAdvisoryAsync(new GetAdvisoryRequest { Id = s.Id }, cancellationToken: cancellationToken)).Advisory;
        var request = new UpdateAdvisoryRequest
        {
            Id = s.Id,
            Content = Apply(current.Content, s),
            ExpectedVersion = s.ExpectedVersion != 0 ? s.ExpectedVersion : current.Version,
        };
        var response = await client.Advisories.UpdateAdvisoryAsync(request, cancellationToken: cancellationToken);
        var advisory = response.Advisory;
        return Emit(s, response, () =>
        {
            Console.MarkupLineInterpolated($"Advisory [bold]{advisory.Id}[/] updated (version {advisory.Version}, {Words.Of(advisory.Status)}).");
            if (advisory.Status != AdvisoryStatus.Draft)
            {
                AdvisoryView.WriteShares(Console, advisory, advisory.Content.PartnerRecipients);
            }
        });
    }

    private static void Replace<T>(Google.Protobuf.Collections.RepeatedField<T> list, IReadOnlyCollection<T> values)
    {
        if (values.Count > 0)
        {
            list.Clear();
            list.AddRange(values);
        }
    }
}
