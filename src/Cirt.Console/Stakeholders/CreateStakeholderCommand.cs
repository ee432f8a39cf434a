using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Stakeholders;

/// <summary>cirt stakeholders create: register an organisation.</summary>
public sealed class CreateStakeholderCommand(IAnsiConsole console) : CirtCommand<CreateStakeholderCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("New stakeholder id: lowercase letters, digits and '-'")]
        public string Id { get; init; } = "";

        [CommandOption("--name <NAME>")]
        public string Name { get; init; } = "";

        [CommandOption("--type <TYPE>")]
        [Description("government-agency, regulator, law-enforcement, essential-service-operator, important-service-operator, digital-provider, isp, academia, civil-society, partner-cirt")]
        public string Type { get; init; } = "";

        [CommandOption("--country <CC>")]
        [Description("ISO 3166-1 alpha-2 code, e.g. LU")]
        public string Country { get; init; } = "";

        [CommandOption("--sector <CODE>")]
        [Description("Sector (repeatable)")]
        public string[] Sectors { get; init; } = [];

        [CommandOption("--nis2 <CLASS>")]
        [Description("essential, important or none (default)")]
        public string Nis2 { get; init; } = "none";

        [CommandOption("--trust-service-provider")]
        [Description("A trust service provider (needs --nis2 essential or important): notifies within 24 h for incidents affecting its trust services (NIS2 Art. 23(4)(b))")]
        public bool TrustServiceProvider { get; init; }

        [CommandOption("--prefix <CIDR>")]
        [Description("Owned IP prefix (repeatable)")]
        public string[] Prefixes { get; init; } = [];

        [CommandOption("--asn <NUMBER>")]
        [Description("Owned autonomous system (repeatable)")]
        public uint[] Asns { get; init; } = [];

        [CommandOption("--domain <NAME>")]
        [Description("Owned domain (repeatable)")]
        public string[] Domains { get; init; } = [];

        [CommandOption("--contact <NAME,EMAIL[,PHONE]>")]
        [Description("Contact (repeatable), e.g. \"SOC,soc@example.org,+352 1234\"")]
        public string[] Contacts { get; init; } = [];
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var stakeholder = new Stakeholder
        {
            Id = s.Id,
            Name = s.Name,
            Type = s.Type.Length == 0 ? StakeholderType.Unspecified : Words.StakeholderType(s.Type),
            Country = s.Country,
            Nis2EntityClass = Words.Nis2(s.Nis2),
            TrustServiceProvider = s.TrustServiceProvider,
            Constituency = new Constituency(),
        };
        stakeholder.SectorCodes.AddRange(s.Sectors);
        stakeholder.Constituency.IpPrefixes.AddRange(s.Prefixes);
        stakeholder.Constituency.Asns.AddRange(s.Asns);
        stakeholder.Constituency.Domains.AddRange(s.Domains);
        foreach (var contact in s.Contacts)
        {
            var parts = contact.Split(',', StringSplitOptions.TrimEntries);
            stakeholder.Contacts.Add(new Contact
            {
                Name = parts[0],
                Email = parts.Length > 1 ? parts[1] : "",
                Phone = parts.Length > 2 ? parts[2] : "",
            });
        }

        var created = await client.Stakeholders.CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder }, cancellationToken: cancellationToken);
        return Emit(s, created, () => Console.MarkupLineInterpolated($"Stakeholder [bold]{created.Stakeholder.Id}[/] created."));
    }
}
