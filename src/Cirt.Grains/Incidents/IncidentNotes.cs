using Cirt.Grains.Common;
using Cirt.Grains.Security;
using static Cirt.Grains.Incidents.IncidentTimeline;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Notes on an incident's timeline, and who reads them. CIRT staff write internal notes (CIRT staff
/// only, the default for theirs) or notes shared with the organisations that see the incident; an
/// operator's note is shared by nature: it is written by one of those organisations, for the CIRT
/// and the others. What a reader is shown is <see cref="IncidentDisclosure"/>'s to say.
/// </summary>
public static class IncidentNotes
{
    /// <summary>The kind of a note's timeline entry.</summary>
    public const string Kind = "note";

    /// <summary>The incident with a note in its timeline, as <paramref name="requested"/> (unspecified: the author's default).</summary>
    public static Incident Add(Incident current, string text, TimelineVisibility requested, Principal author, DateTimeOffset now) =>
        Append(current, now, author.Actor, Kind, text, VisibilityFor(requested, author));

    /// <summary>
    /// The visibility a note by <paramref name="author"/> gets: internal unless shared on purpose
    /// for CIRT staff; shared for anyone else, who is refused an internal note (PERMISSION_DENIED).
    /// </summary>
    public static TimelineVisibility VisibilityFor(TimelineVisibility requested, Principal author)
    {
        if (author.IsCirtStaff)
        {
            return requested == TimelineVisibility.Unspecified ? TimelineVisibility.Internal : requested;
        }

        return requested == TimelineVisibility.Internal
            ? throw new CirtException(CirtErrorKind.PermissionDenied,
                "Internal notes are the CIRT's: a note from an organisation is shared with the CIRT and the organisations that see the incident.",
                "visibility")
            : TimelineVisibility.Shared;
    }
}
