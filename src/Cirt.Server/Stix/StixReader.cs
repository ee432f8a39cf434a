using System.Globalization;
using System.Text.Json;
using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Server.Federation;

namespace Cirt.Server.Stix;

/// <summary>
/// A STIX 2.1 bundle from MISP, OpenCTI, another Cirt or any tool, read as the content of a draft
/// advisory. A bundle that breaks <see cref="StixValidator"/>'s rules is refused with its
/// violations. Mapped: title and summary from the first <c>report</c> (without one, from the first
/// named object); CVEs from <c>vulnerability</c> objects (external reference "cve", or a CVE id as
/// name; the CVSS score from <c>x_cirt_cvss_score</c>, else 0.0); indicators from STIX patterns of
/// equalities on IP addresses and prefixes, domains, URLs, e-mail addresses, MD5/SHA-1/SHA-256 hashes
/// and AS numbers; recommended actions from <c>course-of-action</c> descriptions (or names).
/// The TLP is the most restrictive of every marking and TLP label in the bundle: TLP 2.0 and 1.0
/// marking definitions (WHITE reads as CLEAR), OpenCTI's AMBER+STRICT statement, MISP "tlp:*"
/// labels; an unknown marking or TLP label, or no marking at all, makes it TLP:RED, so that nothing
/// imported goes further than its source meant until a coordinator decides.
/// </summary>
public static class StixReader
{
    /// <summary>Notes listed one by one before the rest are counted.</summary>
    private const int MaxNotes = 20;

    /// <summary>Object types carried into the advisory, or structural (author, markings).</summary>
    private static readonly HashSet<string> Carried = ["report", "vulnerability", "indicator", "course-of-action", "identity", "marking-definition"];

    /// <summary>Types that name their subject, for a title when the bundle has no report.</summary>
    private static readonly HashSet<string> Unnamed = ["identity", "marking-definition", "relationship", "sighting", "extension-definition", "language-content"];

    /// <exception cref="StixBundleRejectedException">The bundle breaks a rule, or holds no objects.</exception>
    public static StixImport Read(string json)
    {
        var violations = StixValidator.Validate(json, StixValidationMode.Import);
        if (violations.Count > 0)
        {
            throw new StixBundleRejectedException(violations);
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Jcs.MaxDepth });
        var bundleId = document.RootElement.GetProperty("id").GetString()!;
        var objects = Latest(document.RootElement.GetProperty("objects"));
        if (objects.Count == 0)
        {
            throw new StixBundleRejectedException([new StixViolation("bundle", "objects is empty: there is nothing to import")]);
        }

        // The TLP first: its reason is the note a coordinator must not miss.
        var notes = new Notes();
        var tlp = TlpOf(objects, notes);
        var live = objects.Where(o => !(o.TryGetProperty("revoked", out var r) && r.ValueKind == JsonValueKind.True)).ToList();
        if (live.Count < objects.Count)
        {
            notes.Add($"{Count(objects.Count - live.Count, "revoked object")} (withdrawn by their producer)");
        }

        var (title, summary, products) = Subject(live, bundleId, notes);
        var cves = Cves(live, notes);
        var indicators = Indicators(live, notes);
        var actions = Actions(live, notes);
        NotCarried(live, notes);

        var content = new AdvisoryContent(title, summary, products, cves, indicators, actions, tlp, [], [], "");
        return new StixImport(content, notes.ToList());
    }

    /// <summary>The newest version of each object (by modified; objects without it, the last given).</summary>
    private static List<JsonElement> Latest(JsonElement objects)
    {
        var newest = new Dictionary<string, (JsonElement Object, DateTimeOffset Modified, int Order)>(StringComparer.Ordinal);
        var order = 0;
        foreach (var o in objects.EnumerateArray())
        {
            var id = o.GetProperty("id").GetString()!;
            var modified = Text(o, "modified") is { } m && StixTime.TryParse(m, false, out var at) ? at : DateTimeOffset.MinValue;
            if (!newest.TryGetValue(id, out var seen) || modified >= seen.Modified)
            {
                newest[id] = (o, modified, seen.Object.ValueKind == JsonValueKind.Undefined ? order : seen.Order);
            }

            order++;
        }

        return newest.Values.OrderBy(v => v.Order).Select(v => v.Object).ToList();
    }

    private static (string Title, string Summary, string[] Products) Subject(List<JsonElement> objects, string bundleId, Notes notes)
    {
        var reports = objects.Where(o => Type(o) == "report").ToList();
        if (reports.Count > 1)
        {
            notes.Add($"{Count(reports.Count - 1, "more report object")} (title and summary come from the first)");
        }

        var subject = reports.Count > 0
            ? reports[0]
            : objects.FirstOrDefault(o => !Unnamed.Contains(Type(o)) && !string.IsNullOrWhiteSpace(Text(o, "name")));
        var title = subject.ValueKind == JsonValueKind.Object ? Text(subject, "name")!.Trim() : "Imported STIX bundle";
        var summary = subject.ValueKind == JsonValueKind.Object && Text(subject, "description") is { } description && !string.IsNullOrWhiteSpace(description)
            ? description
            : $"Imported from the STIX bundle {bundleId}.";
        var products = reports.Count > 0 && reports[0].TryGetProperty("x_cirt_affected_products", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!).Where(p => p.Length > 0).Distinct().ToArray()
            : [];
        return (Fit(title, Limits.TitleLength, "the title", notes), Fit(summary, Limits.DescriptionLength, "the summary", notes), products);
    }

    private static AffectedCve[] Cves(List<JsonElement> objects, Notes notes)
    {
        var cves = new Dictionary<string, AffectedCve>(StringComparer.Ordinal);
        foreach (var vulnerability in objects.Where(o => Type(o) == "vulnerability"))
        {
            var cve = CveOf(vulnerability);
            if (cve is null)
            {
                notes.Add($"{Id(vulnerability)} (\"{Shorten(Text(vulnerability, "name") ?? "")}\"): a vulnerability without a CVE id");
                continue;
            }

            if (cves.ContainsKey(cve))
            {
                continue;
            }

            if (vulnerability.TryGetProperty("x_cirt_cvss_score", out var score) && score.ValueKind == JsonValueKind.Number
                && score.GetDouble() is >= 0.0 and <= 10.0)
            {
                cves[cve] = new AffectedCve(cve, score.GetDouble());
            }
            else
            {
                cves[cve] = new AffectedCve(cve, 0.0);
                notes.Add($"{cve}: no CVSS score in the bundle; set to 0.0 for the coordinator to fill in");
            }
        }

        return [.. cves.Values];
    }

    /// <summary>The CVE id of a vulnerability: its "cve" external reference, else its name when that is a CVE id.</summary>
    private static string? CveOf(JsonElement vulnerability)
    {
        if (vulnerability.TryGetProperty("external_references", out var references) && references.ValueKind == JsonValueKind.Array)
        {
            foreach (var reference in references.EnumerateArray())
            {
                if (reference.ValueKind == JsonValueKind.Object && string.Equals(Text(reference, "source_name"), "cve", StringComparison.OrdinalIgnoreCase)
                    && Text(reference, "external_id") is { } external && ObservableRules.Normalise(ObservableType.Cve, external) is ({ } cve, null))
                {
                    return cve;
                }
            }
        }

        return Text(vulnerability, "name") is { } name && ObservableRules.Normalise(ObservableType.Cve, name) is ({ } named, null) ? named : null;
    }

    private static Observable[] Indicators(List<JsonElement> objects, Notes notes)
    {
        var found = new List<Observable>();
        var seen = new HashSet<(ObservableType, string)>();
        var otherLanguages = new Dictionary<string, int>(StringComparer.Ordinal);
        var dropped = 0;
        foreach (var indicator in objects.Where(o => Type(o) == "indicator"))
        {
            var language = Text(indicator, "pattern_type") ?? "";
            if (language != "stix")
            {
                otherLanguages[language] = otherLanguages.GetValueOrDefault(language) + 1;
                continue;
            }

            var reading = StixPatterns.Read(Text(indicator, "pattern") ?? "");
            if (reading.Unsupported is not null)
            {
                notes.Add($"{Id(indicator)}: pattern not read: {reading.Unsupported}");
                continue;
            }

            var comment = Text(indicator, "description") is { } description ? FitComment(description.Trim()) : "";
            foreach (var observable in reading.Observables)
            {
                var (value, error) = ObservableRules.Normalise(observable.Type, observable.Value);
                if (error is not null)
                {
                    notes.Add($"{Id(indicator)}: {error}");
                }
                else if (!seen.Add((observable.Type, value!)))
                {
                    continue;
                }
                else if (found.Count >= Limits.ObservablesPerRequest)
                {
                    dropped++;
                }
                else
                {
                    found.Add(new Observable(observable.Type, value!, comment));
                }
            }
        }

        foreach (var (language, count) in otherLanguages.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            notes.Add($"{Count(count, "indicator")} with pattern_type \"{Shorten(language)}\" (only STIX patterns are read)");
        }

        if (dropped > 0)
        {
            notes.Add($"{Count(dropped, "indicator")} beyond the {Limits.ObservablesPerRequest} an advisory holds");
        }

        return [.. found];
    }

    private static string[] Actions(List<JsonElement> objects, Notes notes) =>
        objects.Where(o => Type(o) == "course-of-action")
            .Select(o => Text(o, "description") is { } d && !string.IsNullOrWhiteSpace(d) ? d.Trim() : Text(o, "name")!.Trim())
            .Distinct(StringComparer.Ordinal)
            .Select(a => Fit(a, Limits.ReasonLength, "a recommended action", notes))
            .ToArray();

    /// <summary>The most restrictive level of every marking and TLP label; RED for an unknown one or none.</summary>
    private static Tlp TlpOf(List<JsonElement> objects, Notes notes)
    {
        var definitions = objects.Where(o => Type(o) == "marking-definition").ToDictionary(Id, StringComparer.Ordinal);
        var levels = new List<Tlp>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            foreach (var marking in MarkingRefs(o))
            {
                if (LevelOf(marking, definitions) is { } level)
                {
                    levels.Add(level);
                }
                else
                {
                    unknown.Add(marking);
                }
            }

            if (o.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array)
            {
                foreach (var label in labels.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!))
                {
                    if (!label.StartsWith("tlp:", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    if (TlpMarkings.FromName(label) is { } level)
                    {
                        levels.Add(level);
                    }
                    else
                    {
                        unknown.Add($"the label \"{Shorten(label)}\"");
                    }
                }
            }
        }

        foreach (var marking in unknown)
        {
            notes.Add($"{marking}: not a TLP marking this server knows; the draft is TLP:RED");
        }

        if (unknown.Count > 0)
        {
            return Tlp.Red;
        }

        if (levels.Count == 0)
        {
            notes.Add("no TLP marking or label in the bundle; the draft is TLP:RED until a coordinator sets its TLP");
            return Tlp.Red;
        }

        return levels.Max();
    }

    private static IEnumerable<string> MarkingRefs(JsonElement o)
    {
        if (o.TryGetProperty("object_marking_refs", out var refs))
        {
            foreach (var id in refs.EnumerateArray())
            {
                yield return id.GetString()!;
            }
        }

        if (o.TryGetProperty("granular_markings", out var granular) && granular.ValueKind == JsonValueKind.Array)
        {
            foreach (var marking in granular.EnumerateArray())
            {
                if (marking.ValueKind == JsonValueKind.Object && Text(marking, "marking_ref") is { } id)
                {
                    yield return id;
                }
            }
        }
    }

    /// <summary>A marking's TLP level: a well-known id, or a statement that names a TLP level as OpenCTI writes AMBER+STRICT.</summary>
    private static Tlp? LevelOf(string id, Dictionary<string, JsonElement> definitions)
    {
        if (TlpMarkings.WellKnownLevel(id) is { } known)
        {
            return known;
        }

        if (!definitions.TryGetValue(id, out var definition) || Text(definition, "definition_type") != "statement")
        {
            return null;
        }

        var statement = definition.TryGetProperty("definition", out var d) && d.ValueKind == JsonValueKind.Object ? Text(d, "statement") : null;
        return new[] { Text(definition, "name"), statement, Text(definition, "x_opencti_definition") }
            .OfType<string>()
            .Select(TlpMarkings.FromName)
            .FirstOrDefault(level => level is not null);
    }

    /// <summary>Counts what the advisory leaves out, by type: relationships between objects it carries are implied and not counted.</summary>
    private static void NotCarried(List<JsonElement> objects, Notes notes)
    {
        var carried = objects.Where(o => Carried.Contains(Type(o))).Select(Id).ToHashSet(StringComparer.Ordinal);
        var left = objects
            .Where(o => !Carried.Contains(Type(o)))
            .Where(o => !(Type(o) == "relationship" && carried.Contains(Text(o, "source_ref") ?? "") && carried.Contains(Text(o, "target_ref") ?? "")))
            .GroupBy(Type)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var type in left)
        {
            notes.Add(Count(type.Count(), type.Key + " object"));
        }
    }

    private static string Fit(string text, int limit, string what, Notes notes)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        notes.Add($"{what} was shortened from {text.Length} to {limit} characters");
        return text[..(limit - 1)] + "…";
    }

    private static string FitComment(string text) =>
        text.Length <= Limits.ObservableCommentLength ? text : text[..(Limits.ObservableCommentLength - 1)] + "…";

    private static string Count(int count, string what) => $"{count.ToString(CultureInfo.InvariantCulture)} {what}{(count == 1 ? "" : "s")}";

    private static string Type(JsonElement o) => Text(o, "type") ?? "";

    private static string Id(JsonElement o) => Text(o, "id") ?? "";

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    /// <summary>The notes for the coordinator, the first <see cref="MaxNotes"/> in full and the rest counted.</summary>
    private sealed class Notes
    {
        private readonly List<string> _notes = [];
        private int _more;

        public void Add(string note)
        {
            if (_notes.Count < MaxNotes)
            {
                _notes.Add(note);
            }
            else
            {
                _more++;
            }
        }

        public List<string> ToList() => _more == 0 ? [.. _notes] : [.. _notes, $"and {_more} more"];
    }
}
