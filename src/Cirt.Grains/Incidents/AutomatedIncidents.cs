using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Incidents opened from automated events: one per stakeholder, RSIT type and UTC day, counting its
/// events and keeping a sample of their observables. They have no reporter: they name their sources
/// (feeds and producing keys, <see cref="AutomatedSources"/>) instead.
/// <para>
/// Dated by what they saw: <see cref="Incident.AwareAt"/> and <see cref="Incident.ReportedAt"/> are
/// both the observation time of the earliest event (the sensors saw it, and said so, then); a later
/// pass bringing an earlier event moves them earlier, never later. The queue sorts by
/// <see cref="Incident.ReportedAt"/>, so "infected-system in X's network on 2026-10-11" sorts on
/// 2026-10-11 however late it was aggregated; the timeline says when it was ("Aggregated from … at").
/// </para>
/// <para>
/// Their severity is a claim, as a reporter's is: <see cref="Incident.ReportedSeverity"/>, the most
/// severe of their events' (<see cref="AutomatedSeverity"/>). The queue's "most severe first" ranks
/// unassessed incidents by it; the CIRT's <see cref="Incident.Severity"/> (filters, alert levels)
/// stays unspecified until triage sets it. No NIS2 clock runs on them: nobody reported them.
/// </para>
/// </summary>
public static class AutomatedIncidents
{
    /// <summary>Who opens and feeds these incidents, as the timeline shows it.</summary>
    public const string Actor = "system:ingest";

    /// <summary>Observables kept on an automated incident: a sample, not every address of a botnet.</summary>
    public const int ObservableLimit = 200;

    /// <summary>The timeline says what happened without one entry per batch: at most one entry this often.</summary>
    public static readonly TimeSpan EventEntryInterval = TimeSpan.FromHours(1);

    /// <summary>The incident that aggregates <paramref name="aggregate"/>'s events, or <paramref name="existing"/> unchanged.</summary>
    public static Incident Open(
        Incident? existing, string trackingId, EventAggregate aggregate, string stakeholderName, string[] sectorCodes,
        Nis2EntityClass entityClass, DateTimeOffset now)
    {
        if (existing is not null)
        {
            return existing;
        }

        var title = $"{aggregate.RsitType} in {stakeholderName}'s network on {aggregate.Day:yyyy-MM-dd}";
        var observedAt = FirstObserved(aggregate, now);
        return new Incident
        {
            TrackingId = trackingId,
            RequestId = "ingest:" + aggregate.Key,
            Title = title.Length <= Limits.TitleLength ? title : title[..Limits.TitleLength],
            Description = $"Automated events of type {aggregate.RsitClass}/{aggregate.RsitType} routed to {stakeholderName} ({aggregate.StakeholderId}) by its constituency, aggregated per UTC day.",
            // Nobody reported it: the stakeholder is where the events pointed, not who sent them (AutomatedSources says who did).
            ReporterStakeholderId = "",
            ReporterContact = ReporterContact.None,
            ReporterEntityClass = entityClass,
            AffectedStakeholderIds = [aggregate.StakeholderId],
            SectorCodes = sectorCodes,
            RsitClass = aggregate.RsitClass,
            RsitType = aggregate.RsitType,
            Tlp = aggregate.Tlp, // the most restrictive label of its events
            Status = IncidentStatus.Reported,
            Observables = [],
            Deadlines = [],
            ReportedSeverity = aggregate.Severity,
            AwareAt = observedAt,
            ReportedAt = observedAt,
            UpdatedAt = now,
            Version = 1,
            Origin = IncidentOrigins.Ingest,
            Timeline =
            [
                new TimelineEntry(1, now, Actor, "reported",
                    $"Opened from automated events: {title}; first observed {Words.Time(observedAt)}, severity {Words.Of(aggregate.Severity)} (claimed by its events' feeds or from the RSIT type)"),
            ],
        };
    }

    /// <summary>
    /// The incident with <paramref name="aggregate"/>'s events counted, or <paramref name="current"/>
    /// unchanged when they were counted already (the aggregate ends at or before the last recorded log position).
    /// </summary>
    public static Incident RecordEvents(Incident current, EventAggregate aggregate, DateTimeOffset now)
    {
        if (aggregate.UpToSeq <= current.LastEventSeq)
        {
            return current;
        }

        var observables = IncidentObservables.Merge(current.Observables, aggregate.Observables).All;
        var tlp = AutomatedTlp.MostRestrictive(current.Tlp, aggregate.Tlp); // a stricter event raises the label; nothing lowers it
        // An earlier event moves the dates earlier; nothing moves them later.
        var observedAt = aggregate.FirstObservedAt == default ? current.AwareAt : Earliest(current.AwareAt, FirstObserved(aggregate, now));
        var next = current with
        {
            Tlp = tlp,
            AwareAt = observedAt,
            ReportedAt = Earliest(current.ReportedAt, observedAt),
            ReportedSeverity = AutomatedSeverity.MostSevere(current.ReportedSeverity, aggregate.Severity),
            EventCount = current.EventCount + aggregate.NewEvents,
            DuplicateCount = current.DuplicateCount + aggregate.Duplicates,
            LastEventSeq = aggregate.UpToSeq,
            AutomatedSources = AutomatedSources.Merge(current.AutomatedSources, aggregate.Sources),
            Observables = observables.Length > ObservableLimit ? observables[..ObservableLimit] : observables,
            UpdatedAt = now,
            Version = current.Version + 1,
        };
        if (tlp != current.Tlp)
        {
            next = IncidentTimeline.AppendToChange(next, now, Actor, "tlp-raised",
                $"TLP:{TlpLabels.Of(current.Tlp)} → TLP:{TlpLabels.Of(tlp)}: events from {string.Join(", ", aggregate.Feeds)} carried TLP:{TlpLabels.Of(tlp)}");
        }

        var lastEventEntry = current.Timeline.LastOrDefault(e => e.Kind == "events");
        if (lastEventEntry is not null && now - lastEventEntry.At < EventEntryInterval)
        {
            return next;
        }

        return IncidentTimeline.AppendToChange(next, now, Actor, "events",
            $"Aggregated from {aggregate.NewEvents} event(s) of feeds {string.Join(", ", aggregate.Feeds)} at {Words.Time(now)}: "
            + $"{next.EventCount} so far ({next.DuplicateCount} duplicates), first observed {Words.Time(next.AwareAt)}, severity {Words.Of(next.ReportedSeverity)}"
            + (aggregate.MalwareFamilies.Length > 0 ? $"; malware: {string.Join(", ", aggregate.MalwareFamilies)}" : ""));
    }

    /// <summary>When the aggregate's first event was observed (never after <paramref name="now"/>), or <paramref name="now"/> when the delta does not say.</summary>
    private static DateTimeOffset FirstObserved(EventAggregate aggregate, DateTimeOffset now) =>
        aggregate.FirstObservedAt == default ? now : Earliest(aggregate.FirstObservedAt, now);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
