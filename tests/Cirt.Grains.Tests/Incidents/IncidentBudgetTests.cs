using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentBudgetTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddHours(1);

    /// <summary>A maximum-size note of three-byte characters: 30,000 bytes.</summary>
    private static readonly string LongestNote = new('€', Limits.NoteLength);

    /// <summary>The incident with a note by <paramref name="author"/>, admitted as the grain admits it.</summary>
    private static Incident Noted(Incident current, Principal author, string text, TimelineVisibility visibility = TimelineVisibility.Unspecified) =>
        IncidentBudget.Admit(current, IncidentNotes.Add(current, text, visibility, author, Later), author);

    /// <summary>Notes by <paramref name="author"/> until one is refused; the incident so far and the refusal.</summary>
    private static (Incident Incident, CirtException Refusal) NotedUntilRefused(Incident incident, Principal author, string text)
    {
        for (var n = 0; n < 10_000; n++)
        {
            try
            {
                incident = Noted(incident, author, text);
            }
            catch (CirtException refusal)
            {
                return (incident, refusal);
            }
        }

        throw new InvalidOperationException("never refused");
    }

    private static long BytesWrittenBy(Incident incident, string organisation) =>
        incident.Timeline.Where(e => e.AuthorOrganisation == organisation).Sum(e => (long)IncidentBudget.BytesOf(e));

    [Fact]
    public void TheEntriesOfAnOperatorsChangeAreItsOrganisationsAndTheCirtsAreNobodys()
    {
        var incident = Noted(Triaged("firstbank"), Callers.Operator("firstbank"), "Our gateway sees it too");
        incident = Noted(incident, Callers.Analyst, "Asked firstbank for logs");

        Assert.Equal(("firstbank", null), (incident.Timeline[^2].AuthorOrganisation, incident.Timeline[^1].AuthorOrganisation));
    }

    [Fact]
    public void AnOrganisationIsRefusedPastItsShareOfTheTimelineAndTheCirtStillWrites()
    {
        var (full, refusal) = NotedUntilRefused(Triaged("firstbank"), Callers.Operator("firstbank"), LongestNote);

        Assert.Equal(CirtErrorKind.FailedPrecondition, refusal.Kind);
        Assert.StartsWith("This incident's timeline is full for firstbank:", refusal.Message, StringComparison.Ordinal);
        Assert.InRange(BytesWrittenBy(full, "firstbank"), Limits.TimelineBytesPerOrganisation - 31_000, Limits.TimelineBytesPerOrganisation);
        var reporter = Noted(full, Callers.Operator("gridco"), "Still on manual control");
        var cirt = IncidentWork.Transition(reporter, IncidentStatus.Responding, "", 0, false, Callers.Analyst, Later);
        Assert.Same(cirt, IncidentBudget.Admit(reporter, cirt, Callers.Analyst));
    }

    [Fact]
    public void AnOrganisationIsRefusedPastItsShareOfEntriesHoweverShort()
    {
        var (full, refusal) = NotedUntilRefused(Triaged("firstbank"), Callers.Operator("firstbank"), "ok");

        Assert.StartsWith("This incident's timeline is full for firstbank:", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(Limits.TimelineEntriesPerOrganisation, full.Timeline.Count(e => e.AuthorOrganisation == "firstbank"));
    }

    [Fact]
    public void TheOrganisationsInvolvedAreRefusedPastTheirShareTogether()
    {
        var organisations = Enumerable.Range(1, 6).Select(n => $"org-{n}").ToArray();
        var incident = Triaged(organisations);
        CirtException? refusal = null;
        foreach (var organisation in organisations)
        {
            (incident, refusal) = NotedUntilRefused(incident, Callers.Operator(organisation), LongestNote);
            if (refusal.Message.Contains("for the organisations involved", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.NotNull(refusal);
        Assert.StartsWith("This incident's timeline is full for the organisations involved:", refusal.Message, StringComparison.Ordinal);
        Assert.InRange(incident.Timeline.Where(e => e.AuthorOrganisation is not null).Sum(e => (long)IncidentBudget.BytesOf(e)), 0, Limits.TimelineBytesOfOrganisations);
        var cirt = Noted(incident, Callers.Analyst, "the CIRT's half stays free");
        Assert.Equal("the CIRT's half stays free", cirt.Timeline[^1].Summary);
    }

    [Fact]
    public void NotesStopShortOfTheTimelinesBoundsAndTheWorkGoesOn()
    {
        var (full, refusal) = NotedUntilRefused(Triaged(), Callers.Analyst, LongestNote);
        var moved = IncidentWork.Transition(full, IncidentStatus.Responding, "the work goes on", 0, false, Callers.Analyst, Later);

        Assert.Equal(CirtErrorKind.FailedPrecondition, refusal.Kind);
        Assert.StartsWith("This incident's timeline is full for notes:", refusal.Message, StringComparison.Ordinal);
        Assert.InRange(
            full.Timeline.Sum(e => (long)IncidentBudget.BytesOf(e)),
            Limits.TimelineBytesPerIncident - Limits.TimelineBytesKeptForWork - 31_000, Limits.TimelineBytesPerIncident - Limits.TimelineBytesKeptForWork);
        Assert.Same(moved, IncidentBudget.Admit(full, moved, Callers.Analyst));
    }

    [Fact]
    public void TheWholeTimelineIsBoundedForTheCirtsWorkToo()
    {
        var entries = Enumerable.Range(1, Limits.TimelineEntriesPerIncident).Select(n => new TimelineEntry(n, ReportedAt, "ana", "assigned", "Assigned to ben")).ToArray();
        var full = Triaged() with { Timeline = entries };

        var refusal = Assert.Throws<CirtException>(() =>
            IncidentBudget.Admit(full, IncidentWork.Assign(full, "carl", 0, "ana", Later), Callers.Analyst));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refusal.Kind);
        Assert.StartsWith($"This incident's timeline is full: with this change {TrackingId} would hold {Limits.TimelineEntriesPerIncident + 1} entries", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSystemsOwnBookkeepingIsNeverRefusedForWantOfRoom()
    {
        var (full, _) = NotedUntilRefused(Triaged(), Callers.Analyst, LongestNote);
        var linked = IncidentTriage.LinkDuplicate(full, "CIRT-2026-000043", "ana", Later);

        Assert.Same(linked, IncidentBudget.Admit(full, linked, author: null));
    }

    [Fact]
    public void ObservablesPastTheirBytesAreRefusedWhole()
    {
        var incident = Triaged();
        var batch = Enumerable.Range(0, 400).Select(n => new Observable(ObservableType.Domain, $"host-{n}." + new string('a', 2_000), "")).ToArray();
        incident = IncidentBudget.Admit(incident, IncidentObservables.Add(incident, batch, "ana", Later).Incident, Callers.Analyst);
        var more = Enumerable.Range(400, 200).Select(n => new Observable(ObservableType.Domain, $"host-{n}." + new string('a', 2_000), "")).ToArray();

        var refused = Assert.Throws<CirtException>(() =>
            IncidentBudget.Admit(incident, IncidentObservables.Add(incident, more, "soc@gridco", Later).Incident, Callers.Operator("gridco")));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "observables"), (refused.Kind, refused.Field));
        Assert.StartsWith($"Incident {TrackingId}'s observables are full:", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentIsBoundedBesidesItsTimelineYetAChangeThatDoesNotGrowItPasses()
    {
        var reports = Enumerable.Range(1, 120).Select(n => new Nis2Report(DeadlineKind.Nis2ProgressReport, $"r{n}", Later, "soc@gridco", new string('x', 20_000))).ToArray();
        var big = Triaged() with { Nis2Reports = reports };
        var grown = big with { Nis2Reports = [.. reports, new Nis2Report(DeadlineKind.Nis2ProgressReport, "r121", Later, "soc@gridco", "one more")] };
        var moved = IncidentWork.Transition(big, IncidentStatus.Responding, "", 0, false, Callers.Analyst, Later);

        var refused = Assert.Throws<CirtException>(() => IncidentBudget.Admit(big, grown, Callers.Operator("gridco")));

        Assert.StartsWith($"Incident {TrackingId} is full: with this change it would hold 2.3 MiB besides its timeline", refused.Message, StringComparison.Ordinal);
        Assert.Same(moved, IncidentBudget.Admit(big, moved, Callers.Analyst));
    }

    [Fact]
    public void AnEntryCostsTheUtf8BytesOfItsTextAndItsOverhead()
    {
        var entry = new TimelineEntry(1, Later, "ana", "note", "€uro");

        Assert.Equal(3 + 4 + 6 + Limits.TimelineEntryOverheadBytes, IncidentBudget.BytesOf(entry));
        Assert.Equal(("900 bytes", "256 KiB", "1.5 MiB"), (IncidentBudget.Size(900), IncidentBudget.Size(256 * 1024), IncidentBudget.Size(1536 * 1024)));
    }
}
