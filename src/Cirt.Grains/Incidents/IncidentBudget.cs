using System.Globalization;
using System.Text;
using Cirt.Grains.Common;
using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>
/// How much one incident holds, so that it stays readable and workable whoever writes to it. Its
/// timeline holds at most <see cref="Limits.TimelineEntriesPerIncident"/> entries and
/// <see cref="Limits.TimelineBytesPerIncident"/>; what an organisation's keys write counts against
/// that organisation's share and all organisations' together against theirs, so that the rest
/// stays free for the CIRT's own work; and notes stop short of the bounds, so that they never crowd
/// out the work itself (triage, transitions, tasks...). Besides its timeline an incident holds at most
/// <see cref="Limits.IncidentRecordBytes"/>, of which observables at most
/// <see cref="Limits.ObservableBytesPerIncident"/>. A change that would go past a bound is refused
/// whole (FAILED_PRECONDITION, naming the bound and what is used), never cut short or dropped.
/// </summary>
public static class IncidentBudget
{
    /// <summary>What one item of a list costs beyond its text: field tags, lengths, numbers, times.</summary>
    private const int ItemOverheadBytes = 32;

    /// <summary>
    /// <paramref name="next"/>, the change <paramref name="author"/> makes, with the entries it adds
    /// to the timeline attributed to the author's organisation (an operator's, or a partner CIRT's);
    /// refused when it goes past a bound. Opening an incident and the system's own bookkeeping (counting automated events,
    /// checking deadlines, linking a duplicate) come without an author: their size is bounded where
    /// they are made (a report's shape, the ingest's sample of observables, one entry per deadline),
    /// and they are not refused here, lest a reminder or the ingest stall on a full incident.
    /// </summary>
    public static Incident Admit(Incident? previous, Incident next, Principal? author)
    {
        if (author is null)
        {
            return next;
        }

        CheckRecord(previous, next);
        var before = previous?.Timeline.Length ?? 0;
        if (next.Timeline.Length <= before)
        {
            return next;
        }

        // A partner CIRT's notes count as an outside organisation's, like an operator's.
        var organisation = author.Role switch
        {
            Role.Operator when author.StakeholderId.Length > 0 => author.StakeholderId,
            Role.Partner when author.PartnerId.Length > 0 => IncidentSharing.ActorOf(author.PartnerId),
            _ => null,
        };
        if (organisation is not null)
        {
            next = next with
            {
                Timeline = [.. next.Timeline[..before], .. next.Timeline[before..].Select(e => e with { AuthorOrganisation = organisation })],
            };
        }

        CheckTimeline(next, organisation, notes: next.Timeline[before..].Any(e => e.Kind == IncidentNotes.Kind));
        return next;
    }

    /// <summary>What a timeline entry costs: the UTF-8 bytes of its actor, kind and summary, and its overhead.</summary>
    public static int BytesOf(TimelineEntry entry) =>
        Utf8(entry.Actor) + Utf8(entry.Kind) + Utf8(entry.Summary) + Limits.TimelineEntryOverheadBytes;

    /// <summary>What an incident holds besides its timeline, in bytes (UTF-8 text and framing).</summary>
    public static long RecordBytesOf(Incident incident)
    {
        var contact = incident.ReporterContact;
        long bytes = 512 // the numbers, flags, times and enums of the incident itself
            + Utf8(incident.TrackingId) + Utf8(incident.RequestId) + Utf8(incident.Title) + Utf8(incident.Description)
            + Utf8(incident.ReporterStakeholderId) + Utf8(contact.Name) + Utf8(contact.Email) + Utf8(contact.Phone)
            + Utf8(incident.RsitClass) + Utf8(incident.RsitType) + Utf8(incident.Assignee) + Utf8(incident.DuplicateOf) + Utf8(incident.Origin)
            + incident.AffectedStakeholderIds.Concat(incident.ProposedAffectedStakeholderIds).Sum(id => (long)Utf8(id) + ItemOverheadBytes)
            + incident.SectorCodes.Concat(incident.ProposedSectorCodes).Sum(code => (long)Utf8(code) + ItemOverheadBytes)
            + ObservableBytesOf(incident)
            + incident.Deadlines.Sum(d => (long)Utf8(d.Basis) + ItemOverheadBytes * 2)
            + incident.Nis2Reports.Sum(r => (long)Utf8(r.RequestId) + Utf8(r.SubmittedBy) + Utf8(r.Summary) + ItemOverheadBytes)
            + incident.Tasks.Sum(t => (long)Utf8(t.Title) + Utf8(t.AssigneeStakeholderId) + Utf8(t.AssigneeAnalyst) + Utf8(t.CreatedBy) + Utf8(t.Origin) + ItemOverheadBytes * 2)
            + incident.Restorations.Sum(r => (long)Utf8(r.StakeholderId) + Utf8(r.By) + Utf8(r.Note) + ItemOverheadBytes)
            + incident.Referrals.Sum(r => (long)Utf8(r.Agency) + Utf8(r.Reference) + Utf8(r.By) + Utf8(r.Note) + ItemOverheadBytes)
            + incident.PartnerShares.Sum(s => (long)Utf8(s.PartnerId) + Utf8(s.SharedBy) + Utf8(s.Outcome?.MessageId) + Utf8(s.Outcome?.RefusedReason) + ItemOverheadBytes)
            + incident.LinkedTrackingIds.Sum(id => (long)Utf8(id) + ItemOverheadBytes)
            + incident.PartnerFollowUpIds.Sum(id => (long)Utf8(id) + ItemOverheadBytes)
            + (incident.PartnerOrigin is { } origin
                ? Utf8(origin.InstanceId) + Utf8(origin.Country) + Utf8(origin.ItemId) + Utf8(origin.ReceivedFrom) + origin.Route.Sum(r => (long)Utf8(r) + ItemOverheadBytes)
                : 0);
        if (incident.Review is { } review)
        {
            bytes += Utf8(review.WhatHappened) + Utf8(review.RootCause) + Utf8(review.WhatWorked) + Utf8(review.Lessons) + Utf8(review.RecordedBy)
                + review.FollowUpActions.Sum(a => (long)Utf8(a) + ItemOverheadBytes) + ItemOverheadBytes;
        }

        return bytes;
    }

    /// <summary>The observables of an incident, in UTF-8 bytes of their values and comments.</summary>
    public static long ObservableBytesOf(Incident incident) => ObservableBytesOf(incident.Observables);

    /// <summary>Observables, in UTF-8 bytes of their values and comments, as counted against <see cref="Limits.ObservableBytesPerIncident"/>.</summary>
    public static long ObservableBytesOf(IEnumerable<Observable> observables) =>
        observables.Sum(o => (long)Utf8(o.Value) + Utf8(o.Comment) + ItemOverheadBytes);

    /// <summary>"1.5 MiB", "256 KiB", "900 bytes": a size as people read it.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>Refuses a change that grows what the incident holds besides its timeline past its bounds.</summary>
    private static void CheckRecord(Incident? previous, Incident next)
    {
        var observables = ObservableBytesOf(next);
        if (observables > Limits.ObservableBytesPerIncident && observables > (previous is null ? 0 : ObservableBytesOf(previous)))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {next.TrackingId}'s observables are full: with this change they would take {Size(observables)}, "
                + $"and an incident holds at most {Size(Limits.ObservableBytesPerIncident)} of observables; nothing was changed.", "observables");
        }

        var record = RecordBytesOf(next);
        if (record > Limits.IncidentRecordBytes && record > (previous is null ? 0 : RecordBytesOf(previous)))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Incident {next.TrackingId} is full: with this change it would hold {Size(record)} besides its timeline "
                + $"(observables {Size(observables)}, NIS2 reports {Size(next.Nis2Reports.Sum(r => (long)Utf8(r.Summary)))}, "
                + $"{next.Tasks.Length} task(s), {next.Restorations.Length} restoration(s), {next.Referrals.Length} referral(s)), "
                + $"and an incident holds at most {Size(Limits.IncidentRecordBytes)}; nothing was changed.");
        }
    }

    /// <summary>
    /// Refuses a timeline past its bounds: <paramref name="organisation"/>'s share, the organisations'
    /// together, the incident's, and, for a change that adds <paramref name="notes"/>, the incident's
    /// less what is kept for the work on it.
    /// </summary>
    private static void CheckTimeline(Incident next, string? organisation, bool notes)
    {
        if (organisation is not null)
        {
            var own = Usage(next.Timeline.Where(e => e.AuthorOrganisation == organisation));
            if (own.Entries > Limits.TimelineEntriesPerOrganisation || own.Bytes > Limits.TimelineBytesPerOrganisation)
            {
                throw new CirtException(CirtErrorKind.FailedPrecondition,
                    $"This incident's timeline is full for {organisation}: with this change {organisation}'s keys would have written "
                    + $"{own.Entries} entries ({Size(own.Bytes)}) to {next.TrackingId}, and one organisation writes at most "
                    + $"{Limits.TimelineEntriesPerOrganisation} entries and {Size(Limits.TimelineBytesPerOrganisation)} to an incident; "
                    + "nothing was added. The CIRT can still add to it.");
            }

            var organisations = Usage(next.Timeline.Where(e => !string.IsNullOrEmpty(e.AuthorOrganisation)));
            if (organisations.Entries > Limits.TimelineEntriesOfOrganisations || organisations.Bytes > Limits.TimelineBytesOfOrganisations)
            {
                throw new CirtException(CirtErrorKind.FailedPrecondition,
                    $"This incident's timeline is full for the organisations involved: with this change they would have written "
                    + $"{organisations.Entries} entries ({Size(organisations.Bytes)}) to {next.TrackingId}, and together they write at most "
                    + $"{Limits.TimelineEntriesOfOrganisations} entries and {Size(Limits.TimelineBytesOfOrganisations)} to an incident; "
                    + "nothing was added. The CIRT can still add to it.");
            }
        }

        var all = Usage(next.Timeline);
        var (noteEntries, noteBytes) = (Limits.TimelineEntriesPerIncident - Limits.TimelineEntriesKeptForWork, Limits.TimelineBytesPerIncident - Limits.TimelineBytesKeptForWork);
        if (notes && (all.Entries > noteEntries || all.Bytes > noteBytes))
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"This incident's timeline is full for notes: with this note {next.TrackingId} would hold {all.Entries} entries ({Size(all.Bytes)}), "
                + $"and notes stop at {noteEntries} entries and {Size(noteBytes)}, the rest being kept for the work on the incident "
                + "(triage, transitions, tasks, restoration); nothing was added.");
        }

        if (all.Entries > Limits.TimelineEntriesPerIncident || all.Bytes > Limits.TimelineBytesPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"This incident's timeline is full: with this change {next.TrackingId} would hold {all.Entries} entries ({Size(all.Bytes)}), "
                + $"and a timeline holds at most {Limits.TimelineEntriesPerIncident} entries and {Size(Limits.TimelineBytesPerIncident)}; nothing was added.");
        }
    }

    private static (int Entries, long Bytes) Usage(IEnumerable<TimelineEntry> entries)
    {
        var (count, bytes) = (0, 0L);
        foreach (var entry in entries)
        {
            count++;
            bytes += BytesOf(entry);
        }

        return (count, bytes);
    }

    private static int Utf8(string? text) => string.IsNullOrEmpty(text) ? 0 : Encoding.UTF8.GetByteCount(text);
}
