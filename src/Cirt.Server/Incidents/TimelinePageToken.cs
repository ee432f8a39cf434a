using Cirt.Grains.Incidents;

namespace Cirt.Server.Incidents;

/// <summary>
/// Opaque tokens for the pages of an incident's timeline: the entry the next page ends before. A
/// token only moves the window within what the caller reads (IncidentDisclosure comes first), so a
/// forged one shows nothing more.
/// </summary>
public static class TimelinePageToken
{
    private const string Prefix = "timeline-before:";

    /// <summary>The token for the entries older than <paramref name="window"/>'s; empty when there are none.</summary>
    public static string Next(TimelineWindow window) =>
        window.OlderBefore > 0 ? NumberToken.Of(Prefix, window.OlderBefore) : "";

    /// <summary>The entry a token's page ends before (0 for no token); a violation of timeline_page_token when it is not one of ours.</summary>
    public static int Before(string token, Violations v)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        if (NumberToken.TryRead(token, Prefix, out var before) && before > 0)
        {
            return before;
        }

        v.Add("timeline_page_token", "is not a token returned by a previous call");
        return 0;
    }
}
