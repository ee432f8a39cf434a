using Microsoft.Extensions.Primitives;

namespace Cirt.Server.Taxii;

/// <summary>A TAXII request's URL parameters: the filters, the page size and the next token.</summary>
public sealed record TaxiiQuery(ObjectFilter Filter, int Limit, string Next)
{
    private static readonly IReadOnlySet<string> Empty = new HashSet<string>();

    /// <summary>Page size when the client gives none.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page; a larger limit is served as this one, as TAXII lets a server do.</summary>
    public const int MaxLimit = 500;

    /// <summary>Reads the parameters; <paramref name="problem"/> names the one that is wrong (a 400).</summary>
    public static bool TryRead(IQueryCollection query, out TaxiiQuery result, out string problem)
    {
        result = new TaxiiQuery(new ObjectFilter(null, Empty, Empty, VersionMatch.Latest, Empty), DefaultLimit, "");
        problem = "";

        DateTimeOffset? addedAfter = null;
        if (query.TryGetValue("added_after", out var addedAfterText))
        {
            if (addedAfterText.Count != 1 || !TaxiiTime.TryParse(addedAfterText.ToString(), out var at))
            {
                problem = "added_after must be one RFC 3339 timestamp in UTC, e.g. 2026-03-01T09:30:00.000000Z.";
                return false;
            }

            addedAfter = at;
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText))
        {
            if (limitText.Count != 1 || !int.TryParse(limitText.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                problem = "limit must be a positive whole number.";
                return false;
            }

            limit = Math.Min(limit, MaxLimit);
        }

        var next = "";
        if (query.TryGetValue("next", out var nextText))
        {
            if (nextText.Count != 1 || nextText.ToString().Length == 0)
            {
                problem = "next must be the value of next from the previous page.";
                return false;
            }

            next = nextText.ToString();
        }

        if (!TryReadVersions(Values(query, "match[version]"), out var versions))
        {
            problem = "match[version] must be a comma-separated list of first, last, all or RFC 3339 timestamps.";
            return false;
        }

        var filter = new ObjectFilter(addedAfter, Values(query, "match[id]"), Values(query, "match[type]"), versions, Values(query, "match[spec_version]"));
        result = new TaxiiQuery(filter, limit, next);
        return true;
    }

    /// <summary>Every comma-separated value of a parameter, however often it is given.</summary>
    private static HashSet<string> Values(IQueryCollection query, string name) =>
        (query.TryGetValue(name, out var values) ? values : StringValues.Empty)
        .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .ToHashSet(StringComparer.Ordinal);

    private static bool TryReadVersions(HashSet<string> values, out VersionMatch versions)
    {
        versions = VersionMatch.Latest;
        if (values.Count == 0)
        {
            return true;
        }

        var at = new HashSet<DateTimeOffset>();
        foreach (var value in values.Where(v => v is not ("first" or "last" or "all")))
        {
            if (!TaxiiTime.TryParse(value, out var version))
            {
                return false;
            }

            at.Add(version);
        }

        versions = new VersionMatch(values.Contains("first"), values.Contains("last"), values.Contains("all"), at);
        return true;
    }
}
