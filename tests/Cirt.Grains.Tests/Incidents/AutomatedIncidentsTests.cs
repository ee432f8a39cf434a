using Cirt.Grains.Incidents;
using Cirt.Grains.Ingest;
using Cirt.Grains.Stakeholders;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class AutomatedIncidentsTests
{
    private static readonly DateOnly Day = new(2026, 3, 2);

    private static EventAggregate Aggregate(long upToSeq, long newEvents, long duplicates = 0, params Observable[] observables) =>
        new("gridco", "malicious-code", "infected-system", Day, upToSeq, newEvents, duplicates, observables, ["mirai"], ["shadowserver"], Tlp.Amber);

    private static Incident Open() =>
        AutomatedIncidents.Open(null, TrackingId, Aggregate(0, 0), "GridCo", ["ENERGY"], Nis2EntityClass.Essential, ReportedAt);

    private static Observable Ip(int n) => new(ObservableType.IpAddress, $"10.0.{n / 256}.{n % 256}", "");

    [Fact]
    public void AnAutomatedIncidentIsOpenedForTheStakeholderTypeAndDayWithoutDeadlines()
    {
        var incident = Open();

        Assert.Equal(("infected-system in GridCo's network on 2026-03-02", IncidentOrigins.Ingest, IncidentStatus.Reported, Tlp.Amber),
            (incident.Title, incident.Origin, incident.Status, incident.Tlp));
        Assert.Equal(["gridco"], incident.AffectedStakeholderIds);
        Assert.Equal("", incident.ReporterStakeholderId); // nobody reported it: the events were about gridco
        Assert.Empty(incident.Deadlines);
        Assert.Equal(("reported", "system:ingest"), (incident.Timeline[0].Kind, incident.Timeline[0].Actor));
        Assert.Same(incident, AutomatedIncidents.Open(incident, TrackingId, Aggregate(5, 5), "GridCo", [], Nis2EntityClass.None, ReportedAt.AddHours(1)));
    }

    [Fact]
    public void RecordingEventsAccumulatesTheirSourcesPerFeedAndProducerAcrossPasses()
    {
        var first = AutomatedIncidents.RecordEvents(Open(), Aggregate(1, 3) with
        {
            Sources = [new AutomatedSource("shadowserver", "feeder", 2), new AutomatedSource("honeypot", "soc@gridco", 1)],
        }, ReportedAt);
        var second = AutomatedIncidents.RecordEvents(first, Aggregate(2, 2) with { Sources = [new AutomatedSource("honeypot", "soc@gridco", 2)] }, ReportedAt);
        var again = AutomatedIncidents.RecordEvents(second, Aggregate(2, 2) with { Sources = [new AutomatedSource("honeypot", "soc@gridco", 2)] }, ReportedAt);

        Assert.Equal([("honeypot", "soc@gridco", 3L), ("shadowserver", "feeder", 2L)], second.AutomatedSources.Select(s => (s.Feed, s.Producer, s.Events)));
        Assert.Same(second, again); // a pass applied twice counts once
    }

    [Fact]
    public void ALongStakeholderNameDoesNotMakeTheTitleOverlong()
    {
        var incident = AutomatedIncidents.Open(null, TrackingId, Aggregate(0, 0), new string('G', 300), [], Nis2EntityClass.None, ReportedAt);

        Assert.Equal(Cirt.Grains.Common.Limits.TitleLength, incident.Title.Length);
    }

    [Fact]
    public void EventsAreCountedOnceByLogPosition()
    {
        var once = AutomatedIncidents.RecordEvents(Open(), Aggregate(10, 8, 2, Ip(1)), ReportedAt.AddMinutes(1));

        Assert.Equal((8L, 2L, 10L, 2L), (once.EventCount, once.DuplicateCount, once.LastEventSeq, once.Version));
        Assert.Same(once, AutomatedIncidents.RecordEvents(once, Aggregate(10, 8, 2, Ip(1)), ReportedAt.AddMinutes(2)));
        Assert.Same(once, AutomatedIncidents.RecordEvents(once, Aggregate(7, 3), ReportedAt.AddMinutes(2)));
        Assert.Equal(11L, AutomatedIncidents.RecordEvents(once, Aggregate(12, 3), ReportedAt.AddMinutes(2)).EventCount);
    }

    [Fact]
    public void TheTimelineSaysHowManyEventsAtMostOnceAnHour()
    {
        var first = AutomatedIncidents.RecordEvents(Open(), Aggregate(10, 8, 2), ReportedAt.AddMinutes(1));
        var soon = AutomatedIncidents.RecordEvents(first, Aggregate(20, 5), ReportedAt.AddMinutes(30));
        var later = AutomatedIncidents.RecordEvents(soon, Aggregate(30, 5), ReportedAt.AddMinutes(61));

        Assert.Equal(("events", "Aggregated from 8 event(s) of feeds shadowserver at 2026-03-02T08:01Z: 8 so far (2 duplicates), first observed 2026-03-02T08:00Z, severity unspecified; malware: mirai"),
            (first.Timeline[^1].Kind, first.Timeline[^1].Summary));
        Assert.Equal(first.Timeline.Length, soon.Timeline.Length);
        Assert.Equal(soon.Version + 1, later.Version);
        Assert.Equal("Aggregated from 5 event(s) of feeds shadowserver at 2026-03-02T09:01Z: 18 so far (2 duplicates), first observed 2026-03-02T08:00Z, severity unspecified; malware: mirai",
            later.Timeline[^1].Summary);
    }

    [Fact]
    public void AnAutomatedIncidentKeepsASampleOfItsObservables()
    {
        var many = Enumerable.Range(0, AutomatedIncidents.ObservableLimit + 50).Select(Ip).ToArray();

        var recorded = AutomatedIncidents.RecordEvents(Open(), Aggregate(300, 250, 0, many), ReportedAt.AddMinutes(1));
        var again = AutomatedIncidents.RecordEvents(recorded, Aggregate(301, 1, 0, Ip(999)), ReportedAt.AddMinutes(2));

        Assert.Equal(many.Take(AutomatedIncidents.ObservableLimit), recorded.Observables);
        Assert.Equal(AutomatedIncidents.ObservableLimit, again.Observables.Length);
    }

    [Fact]
    public void AnAutomatedIncidentIsOpenedAtTheMostRestrictiveLabelOfItsEvents()
    {
        var incident = AutomatedIncidents.Open(null, TrackingId, Aggregate(1, 1) with { Tlp = Tlp.Red }, "GridCo", [], Nis2EntityClass.None, ReportedAt);

        Assert.Equal(Tlp.Red, incident.Tlp);
    }

    [Fact]
    public void AStricterEventRaisesTheLabelWithATimelineEntryAndNothingLowersIt()
    {
        var opened = AutomatedIncidents.RecordEvents(Open(), Aggregate(1, 1), ReportedAt);

        var raised = AutomatedIncidents.RecordEvents(opened, Aggregate(2, 1) with { Tlp = Tlp.AmberStrict }, ReportedAt.AddMinutes(1));
        var kept = AutomatedIncidents.RecordEvents(raised, Aggregate(3, 1) with { Tlp = Tlp.Clear }, ReportedAt.AddMinutes(2));

        Assert.Equal((Tlp.AmberStrict, Tlp.AmberStrict), (raised.Tlp, kept.Tlp));
        var entry = Assert.Single(kept.Timeline, e => e.Kind == "tlp-raised");
        Assert.Equal("TLP:AMBER → TLP:AMBER+STRICT: events from shadowserver carried TLP:AMBER+STRICT", entry.Summary);
        Assert.Equal(opened.Version + 1, raised.Version);
    }

    [Fact]
    public void AnAutomatedIncidentIsAwareAndReportedWhenItsFirstEventWasObservedAndSaysWhenItWasAggregated()
    {
        var observed = new DateTimeOffset(2026, 3, 2, 6, 30, 0, TimeSpan.Zero);
        var aggregatedAt = new DateTimeOffset(2026, 3, 7, 14, 0, 0, TimeSpan.Zero);
        var aggregate = Aggregate(1, 3) with { FirstObservedAt = observed, Severity = Severity.High };

        var opened = AutomatedIncidents.Open(null, TrackingId, aggregate, "GridCo", ["ENERGY"], Nis2EntityClass.Essential, aggregatedAt);
        var recorded = AutomatedIncidents.RecordEvents(opened, aggregate, aggregatedAt);

        Assert.Equal((observed, observed, aggregatedAt), (recorded.AwareAt, recorded.ReportedAt, recorded.UpdatedAt));
        Assert.Empty(recorded.Deadlines); // no NIS2 clock on what sensors saw, even for an essential entity
        Assert.Equal(aggregatedAt, recorded.Timeline[^1].At);
        Assert.StartsWith("Aggregated from 3 event(s) of feeds shadowserver at 2026-03-07T14:00Z: 3 so far (0 duplicates), first observed 2026-03-02T06:30Z, severity high",
            recorded.Timeline[^1].Summary);
    }

    [Fact]
    public void AnEarlierEventMovesTheDatesEarlierAndALaterOneNeverMovesThemLater()
    {
        var noon = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var now = noon.AddDays(2);
        var first = AutomatedIncidents.RecordEvents(
            AutomatedIncidents.Open(null, TrackingId, Aggregate(1, 1) with { FirstObservedAt = noon }, "GridCo", [], Nis2EntityClass.None, now),
            Aggregate(1, 1) with { FirstObservedAt = noon }, now);

        var earlier = AutomatedIncidents.RecordEvents(first, Aggregate(2, 1) with { FirstObservedAt = noon.AddHours(-4) }, now);
        var later = AutomatedIncidents.RecordEvents(earlier, Aggregate(3, 1) with { FirstObservedAt = noon.AddHours(6) }, now);
        var unsaid = AutomatedIncidents.RecordEvents(later, Aggregate(4, 1), now.AddHours(1)); // a delta from before the time was carried

        Assert.Equal(noon, first.AwareAt);
        Assert.Equal((noon.AddHours(-4), noon.AddHours(-4)), (earlier.AwareAt, earlier.ReportedAt));
        Assert.Equal((noon.AddHours(-4), noon.AddHours(-4)), (later.AwareAt, later.ReportedAt));
        Assert.Equal(noon.AddHours(-4), unsaid.AwareAt);
    }

    [Fact]
    public void AnObservationAfterTheAggregationTimeDatesTheIncidentNoLaterThanThatTime()
    {
        var now = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

        var incident = AutomatedIncidents.Open(null, TrackingId, Aggregate(1, 1) with { FirstObservedAt = now.AddSeconds(30) }, "GridCo", [], Nis2EntityClass.None, now);

        Assert.Equal((now, now), (incident.AwareAt, incident.ReportedAt));
    }

    [Fact]
    public void TheDerivedSeverityIsTheReportersClaimAndOnlyRises()
    {
        var opened = AutomatedIncidents.Open(null, TrackingId, Aggregate(1, 1) with { Severity = Severity.Medium }, "GridCo", [], Nis2EntityClass.None, ReportedAt);

        var raised = AutomatedIncidents.RecordEvents(opened, Aggregate(2, 1) with { Severity = Severity.Critical }, ReportedAt);
        var kept = AutomatedIncidents.RecordEvents(raised, Aggregate(3, 1) with { Severity = Severity.Low }, ReportedAt);

        Assert.Equal((Severity.Medium, Severity.Critical, Severity.Critical), (opened.ReportedSeverity, raised.ReportedSeverity, kept.ReportedSeverity));
        Assert.Equal(Severity.Unspecified, kept.Severity); // the CIRT's, set at triage
    }
}
