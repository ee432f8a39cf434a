using Microsoft.Net.Http.Headers;

namespace Cirt.Server.Taxii;

/// <summary>The media types TAXII 2.1 speaks, and which Accept headers a TAXII response satisfies.</summary>
public static class TaxiiMediaTypes
{
    /// <summary>What every TAXII response is.</summary>
    public const string Taxii = "application/taxii+json;version=2.1";

    /// <summary>What the collections hold.</summary>
    public const string Stix = "application/stix+json;version=2.1";

    /// <summary>
    /// Whether a client sending <paramref name="accept"/> takes TAXII 2.1: no Accept header at all,
    /// "*/*", "application/*", "application/taxii+json", or "application/taxii+json;version=2.1"
    /// (any of them with a q above 0). "application/json", or a TAXII version other than 2.1, does not.
    /// </summary>
    public static bool Accepts(IList<string> accept)
    {
        if (accept.Count == 0)
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return false;
        }

        return ranges.Any(range => range.Quality is not 0 && Satisfies(range));
    }

    private static bool Satisfies(MediaTypeHeaderValue range)
    {
        if (range.MatchesAllTypes || (range.MatchesAllSubTypes && range.Type.Equals("application", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (!range.MediaType.Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var version = range.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase));
        return version is null || HeaderUtilities.RemoveQuotes(version.Value).Equals("2.1", StringComparison.Ordinal);
    }
}
