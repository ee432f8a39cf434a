namespace Cirt.Server.Taxii;

/// <summary>Which versions of each object a request wants (match[version]): first, last, all, and versions named by their timestamp.</summary>
public sealed record VersionMatch(bool First, bool Last, bool All, IReadOnlySet<DateTimeOffset> At)
{
    /// <summary>TAXII's default: the latest version of each object.</summary>
    public static readonly VersionMatch Latest = new(First: false, Last: true, All: false, new HashSet<DateTimeOffset>());

    /// <summary>Every version (the versions resource).</summary>
    public static readonly VersionMatch Every = new(First: false, Last: false, All: true, new HashSet<DateTimeOffset>());

    /// <summary>The versions of one object (oldest first) that match.</summary>
    public IEnumerable<CollectionObject> Select(IReadOnlyList<CollectionObject> versions)
    {
        if (All)
        {
            return versions;
        }

        return versions.Where((version, index) =>
            (First && index == 0) || (Last && index == versions.Count - 1) || At.Contains(version.Version));
    }

    /// <summary>The match in a canonical text, for the fingerprint of a query.</summary>
    public override string ToString() =>
        string.Join(",", new[] { First ? "first" : "", Last ? "last" : "", All ? "all" : "" }
            .Concat(At.Order().Select(TaxiiTime.Format))
            .Where(part => part.Length > 0));
}
