using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentDisclosureTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddHours(1);

    private static readonly Principal Partner = new("", "duty", Role.Partner, "", "cert-fr");

    /// <summary>gridco's incident affecting firstbank, reported by Jane Roe, with the CIRT's internal work and shared entries between.</summary>
    private static Incident WithInternalWork()
    {
        var incident = Triaged("firstbank") with { ReporterContact = new ReporterContact("Jane Roe", "jane.roe@gridco.example", "+352 555 0101") };
        incident = IncidentNotes.Add(incident, "suspect: gridco insider J. Doe", TimelineVisibility.Unspecified, Callers.Analyst, Later);
        incident = IncidentNotes.Add(incident, "Block 203.0.113.7 at the border", TimelineVisibility.Shared, Callers.Analyst, Later);
        incident = IncidentCoordination.Refer(incident, "National Police", "NP-2026-0042", "insider case", "ana", Later);
        return IncidentNotes.Add(incident, "Blocked at our side too", TimelineVisibility.Unspecified, Callers.Operator("firstbank"), Later);
    }

    [Fact]
    public void CirtStaffReadTheIncidentWhole()
    {
        var incident = WithInternalWork();

        Assert.Same(incident, IncidentDisclosure.For(incident, Callers.Analyst));
        Assert.Same(incident, IncidentDisclosure.For(incident, Callers.Coordinator));
    }

    [Theory]
    [InlineData("gridco")]
    [InlineData("firstbank")]
    public void AnOrganisationReadsNeitherInternalNotesNorReferralsNorTheReporterContact(string organisation)
    {
        var read = IncidentDisclosure.For(WithInternalWork(), Callers.Operator(organisation));

        Assert.Equal(ReporterContact.None, read.ReporterContact);
        Assert.Empty(read.Referrals);
        Assert.DoesNotContain(read.Timeline, e => e.Summary.Contains("J. Doe", StringComparison.Ordinal) || e.Kind == "referred");
        Assert.Equal(
            ["Block 203.0.113.7 at the border", "Blocked at our side too"],
            read.Timeline.Where(e => e.Kind == "note").Select(e => e.Summary));
    }

    [Fact]
    public void TheEntriesAnOrganisationReadsAreNumberedWithoutGaps()
    {
        var incident = WithInternalWork();

        var read = IncidentDisclosure.For(incident, Callers.Operator("firstbank"));

        Assert.Equal(incident.Timeline.Length - 2, read.Timeline.Length);
        Assert.Equal(Enumerable.Range(1, read.Timeline.Length), read.Timeline.Select(e => e.Sequence));
        Assert.All(read.Timeline, e => Assert.Equal(TimelineVisibility.Shared, e.Visibility));
    }

    [Fact]
    public void APartnerReadsNoInternalWorkEither()
    {
        var read = IncidentDisclosure.For(WithInternalWork(), Partner);

        Assert.Empty(read.Referrals);
        Assert.DoesNotContain(read.Timeline, e => IncidentDisclosure.VisibilityOf(e) == TimelineVisibility.Internal);
    }

    [Fact]
    public void AReferralRecordedBeforeEntriesCarriedAVisibilityIsInternalAndAnyOtherEntryShared()
    {
        var legacy = Reported() with
        {
            Timeline =
            [
                new TimelineEntry(1, ReportedAt, "soc@gridco", "reported", "Reported by gridco") { Visibility = TimelineVisibility.Unspecified },
                new TimelineEntry(2, Later, "ana", "referred", "Referred to National Police (their reference NP-1)") { Visibility = TimelineVisibility.Unspecified },
                new TimelineEntry(3, Later, "ana", "note", "Called the GridCo SOC") { Visibility = TimelineVisibility.Unspecified },
            ],
        };

        Assert.Equal(
            [TimelineVisibility.Shared, TimelineVisibility.Internal, TimelineVisibility.Shared],
            legacy.Timeline.Select(IncidentDisclosure.VisibilityOf));
        Assert.Equal(["reported", "note"], IncidentDisclosure.For(legacy, Callers.Operator("gridco")).Timeline.Select(e => e.Kind));
    }
}
