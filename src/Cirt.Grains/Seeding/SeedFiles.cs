using System.Text.Json;
using System.Text.Json.Serialization;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Seeding;

/// <summary>Reads the reference data under seeds/: sectors, the RSIT taxonomy, demo stakeholders.</summary>
public static class SeedFiles
{
    public const string Sectors = "sectors.json";
    public const string Taxonomy = "rsit-taxonomy.json";
    public const string Stakeholders = "stakeholders.json";
    public const string Playbooks = "playbooks.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static RsitTaxonomy LoadTaxonomy(string seedDirectory)
    {
        var file = Read<TaxonomyFile>(seedDirectory, Taxonomy);
        return new RsitTaxonomy(file.Classes.Select(c => new RsitClass(c.Name, c.Description ?? "", c.Types)));
    }

    public static IReadOnlyList<(string Code, SectorDefinition Definition)> LoadSectors(string seedDirectory) =>
        Read<SectorsFile>(seedDirectory, Sectors).Sectors
            .Select(s => (s.Code, new SectorDefinition(s.Name, ParseAnnex(s.Annex), s.Subsectors ?? [], s.Description ?? "")))
            .ToArray();

    public static IReadOnlyList<(string Id, StakeholderProfile Profile)> LoadStakeholders(string seedDirectory) =>
        Read<StakeholdersFile>(seedDirectory, Stakeholders).Stakeholders
            .Select(s => (s.Id, new StakeholderProfile(
                s.Name,
                ParseEnum<StakeholderType>(s.Type),
                s.Sectors ?? [],
                s.Country,
                ParseEnum<Nis2EntityClass>(s.Nis2),
                (s.Contacts ?? []).Select(c => new Contact(c.Name, c.Role ?? "", c.Email ?? "", c.Phone ?? "", null)).ToArray(),
                new Constituency(s.Constituency?.IpPrefixes ?? [], s.Constituency?.Asns ?? [], s.Constituency?.Domains ?? []))))
            .ToArray();

    public static IReadOnlyList<(string RsitClass, Playbooks.PlaybookStep[] Steps)> LoadPlaybooks(string seedDirectory) =>
        Read<PlaybooksFile>(seedDirectory, Playbooks).Playbooks
            .Select(p => (p.RsitClass, p.Steps.Select(s => new Playbooks.PlaybookStep(
                s.Title, ParseEnum<Playbooks.StepAssignee>(s.Assignee), TimeSpan.FromHours(s.DueWithinHours))).ToArray()))
            .ToArray();

    private static T Read<T>(string seedDirectory, string fileName)
    {
        var path = Path.Combine(seedDirectory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Seed file '{path}' is missing; set Cirt:SeedDirectory to the folder holding the seeds.", path);
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Json)
               ?? throw new InvalidDataException($"Seed file '{path}' is empty.");
    }

    private static Nis2Annex ParseAnnex(string annex) => annex switch
    {
        "I" => Nis2Annex.AnnexI,
        "II" => Nis2Annex.AnnexII,
        "" or "none" => Nis2Annex.None,
        _ => throw new InvalidDataException($"Unknown NIS2 annex '{annex}' in {Sectors}: use I, II or none."),
    };

    /// <summary>Parses kebab-case names such as "essential-service-operator".</summary>
    private static T ParseEnum<T>(string value) where T : struct, Enum =>
        Enum.TryParse<T>(value.Replace("-", ""), ignoreCase: true, out var parsed)
            ? parsed
            : throw new InvalidDataException($"Unknown {typeof(T).Name} '{value}' in {Stakeholders}.");

    private sealed record PlaybooksFile(PlaybookEntry[] Playbooks);

    private sealed record PlaybookEntry(string RsitClass, PlaybookStepEntry[] Steps);

    private sealed record PlaybookStepEntry(string Title, string Assignee, double DueWithinHours);

    private sealed record TaxonomyFile(TaxonomyClassEntry[] Classes);

    private sealed record TaxonomyClassEntry(string Name, string? Description, string[] Types);

    private sealed record SectorsFile(SectorEntry[] Sectors);

    private sealed record SectorEntry(string Code, string Name, string Annex, string[]? Subsectors, string? Description);

    private sealed record StakeholdersFile(StakeholderEntry[] Stakeholders);

    private sealed record StakeholderEntry(
        string Id, string Name, string Type, string[]? Sectors, string Country, string Nis2,
        ContactEntry[]? Contacts, ConstituencyEntry? Constituency);

    private sealed record ContactEntry(string Name, string? Role, string? Email, string? Phone);

    private sealed record ConstituencyEntry(
        [property: JsonPropertyName("ipPrefixes")] string[]? IpPrefixes,
        uint[]? Asns,
        string[]? Domains);
}
