using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>
/// The sharing agreement as typed on the command line ("partners register" and "partners agreement").
/// It is given whole: what is not allowed here is denied.
/// </summary>
public class AgreementSettings : PartnerSettings
{
    [CommandOption("--max-tlp <LABEL>")]
    [Description("The highest TLP it may receive: clear, green or amber (required; TLP:AMBER+STRICT leaves only for items naming the partner under an amber agreement, TLP:RED never)")]
    public string? MaxTlp { get; init; }

    [CommandOption("--sector <CODE>")]
    [Description("A sector whose items it receives (repeatable); or --all-sectors")]
    public string[] Sectors { get; init; } = [];

    [CommandOption("--all-sectors")]
    [Description("It receives items of every sector")]
    public bool AllSectors { get; init; }

    [CommandOption("--kind <KIND>")]
    [Description("advisory or incident: what it receives (repeatable; at least one)")]
    public string[] Kinds { get; init; } = [];

    [CommandOption("--indicators")]
    [Description("Indicators (observables) may leave")]
    public bool Indicators { get; init; }

    [CommandOption("--organisation-names")]
    [Description("The names of affected organisations may leave")]
    public bool OrganisationNames { get; init; }

    [CommandOption("--personal-data <POLICY>")]
    [Description("none (default: personal data found holds the item for approval) or pseudonymised (victims' IP addresses leave as a keyed hash)")]
    public string PersonalData { get; init; } = "none";

    [CommandOption("--legal-basis <TEXT>")]
    [Description("The legal basis of the exchange (required)")]
    public string? LegalBasis { get; init; }

    [CommandOption("--retention-days <N>")]
    [Description("How long the partner may keep what it receives, 1 to 3650 days (required)")]
    public int? RetentionDays { get; init; }

    /// <summary>The agreement the options describe; a usage error names what is missing or contradictory.</summary>
    public SharingAgreement Agreement()
    {
        if (string.IsNullOrWhiteSpace(MaxTlp))
        {
            throw new UsageException("Give --max-tlp: clear, green or amber, the highest label the partner may receive.");
        }

        var maxTlp = Words.Tlp(MaxTlp);
        if (maxTlp is not (Tlp.Clear or Tlp.Green or Tlp.Amber))
        {
            throw new UsageException(
                $"--max-tlp {MaxTlp}: an agreement allows at most clear, green or amber (TLP:AMBER+STRICT leaves only for items that name the partner, under an amber agreement; TLP:RED never leaves).");
        }

        if (AllSectors == (Sectors.Length > 0))
        {
            throw new UsageException(AllSectors
                ? "Give either --sector CODE (repeatable) or --all-sectors, not both."
                : "Give --sector CODE (repeatable) or --all-sectors: the sectors whose items the partner receives.");
        }

        if (Kinds.Length == 0)
        {
            throw new UsageException("Give --kind advisory and/or --kind incident: what the partner receives.");
        }

        if (string.IsNullOrWhiteSpace(LegalBasis))
        {
            throw new UsageException("Give --legal-basis TEXT: the legal basis of the exchange.");
        }

        if (RetentionDays is not { } retentionDays)
        {
            throw new UsageException("Give --retention-days N: how long the partner may keep what it receives (1 to 3650 days).");
        }

        var agreement = new SharingAgreement
        {
            MaxTlp = maxTlp,
            AllSectors = AllSectors,
            Indicators = Indicators,
            AffectedOrganisationNames = OrganisationNames,
            PersonalData = Words.PersonalData(PersonalData),
            LegalBasis = LegalBasis.Trim(),
            RetentionDays = retentionDays,
        };
        agreement.Sectors.AddRange(Sectors.Select(code => code.Trim().ToUpperInvariant()).Distinct());
        agreement.Kinds.AddRange(Kinds.Select(Words.ItemKind).Distinct());
        return agreement;
    }
}
