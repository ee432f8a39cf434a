namespace Cirt.Server.Taxii;

/// <summary>
/// The filters of a TAXII request: added_after, match[id], match[type], match[version] and
/// match[spec_version] (an empty set matches everything). Versions are chosen first, among all of an
/// object's versions, and added_after applies to the chosen ones: with the default (the last
/// version), a client polling with added_after gets each object whose latest version came after.
/// </summary>
public sealed record ObjectFilter(
    DateTimeOffset? AddedAfter,
    IReadOnlySet<string> Ids,
    IReadOnlySet<string> Types,
    VersionMatch Versions,
    IReadOnlySet<string> SpecVersions)
{
    /// <summary>What matches, in collection order.</summary>
    public IEnumerable<CollectionObject> Apply(IReadOnlyList<CollectionObject> collection) =>
        collection
            .Where(o => (Ids.Count == 0 || Ids.Contains(o.Id)) && (Types.Count == 0 || Types.Contains(o.Type))
                        && (SpecVersions.Count == 0 || SpecVersions.Contains(o.SpecVersion)))
            .GroupBy(o => o.Id, StringComparer.Ordinal)
            .SelectMany(versions => Versions.Select(versions.OrderBy(v => v.Version).ToList()))
            .Where(o => AddedAfter is not { } after || o.DateAdded > after)
            .OrderBy(o => o.Position);

    /// <summary>The filters in a canonical text: a next token is good only for the query it was issued for.</summary>
    public string Fingerprint() => string.Join("\n",
        AddedAfter is { } after ? TaxiiTime.Format(after) : "",
        string.Join(",", Ids.Order(StringComparer.Ordinal)),
        string.Join(",", Types.Order(StringComparer.Ordinal)),
        Versions.ToString(),
        string.Join(",", SpecVersions.Order(StringComparer.Ordinal)));
}
