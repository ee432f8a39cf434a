using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>
/// What a caller reads of an incident it may see (whether it may see it at all is
/// <see cref="IncidentAccess"/>'s to say). CIRT staff read it whole. Anyone else (an organisation
/// that reported it or that it affects) reads it without the CIRT's internal work: no internal
/// timeline entries (internal notes, referrals to law enforcement), no referrals, no reporter's
/// personal contact, nothing of its exchange with partner CIRTs (whom it is shared with, links,
/// where a foreign incident comes from), and nothing that tells they exist: the entries it reads are numbered 1, 2,
/// 3... as it reads them. Every incident that leaves the service for a caller goes through
/// <see cref="For"/>.
/// </summary>
public static class IncidentDisclosure
{
    /// <summary>Entries of these kinds are internal whatever they record (those written before entries carried a visibility included).</summary>
    private static readonly HashSet<string> InternalKinds = new(StringComparer.Ordinal) { IncidentCoordination.ReferredKind };

    /// <summary>Whether <paramref name="viewer"/> reads the CIRT's internal work: CIRT staff only.</summary>
    public static bool ReadsInternalWork(Principal viewer) => viewer.IsCirtStaff;

    /// <summary>Internal or shared: what <paramref name="entry"/> records, a referral being internal whatever it records.</summary>
    public static TimelineVisibility VisibilityOf(TimelineEntry entry) =>
        entry.Visibility == TimelineVisibility.Internal || InternalKinds.Contains(entry.Kind) ? TimelineVisibility.Internal : TimelineVisibility.Shared;

    /// <summary>The incident as <paramref name="viewer"/> reads it.</summary>
    public static Incident For(Incident incident, Principal viewer)
    {
        if (ReadsInternalWork(viewer))
        {
            return incident;
        }

        var shared = incident.Timeline
            .Where(e => VisibilityOf(e) == TimelineVisibility.Shared)
            .Select((e, index) => e with { Sequence = index + 1, Visibility = TimelineVisibility.Shared })
            .ToArray();
        return incident with
        {
            ReporterContact = ReporterContact.None,
            Referrals = [],
            Timeline = shared,
            PartnerOrigin = null,
            PartnerShares = [],
            LinkedTrackingIds = [],
            PartnerFollowUpIds = [],
            PendingShares = [],
        };
    }
}
