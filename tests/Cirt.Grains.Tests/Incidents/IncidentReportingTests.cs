using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentReportingTests
{
    private static readonly Deadline TriageDeadline = new DeadlineOptions().TriageDeadline(Severity.Medium, ReportedAt);

    private static Incident Open(IncidentReport report, Nis2EntityClass entityClass = Nis2EntityClass.Essential, Incident? existing = null) =>
        IncidentReporting.Open(existing, TrackingId, report, entityClass, ["ENERGY", "ENERGY"], TriageDeadline, Callers.Operator("gridco"), ReportedAt);

    [Fact]
    public void AReportOpensAReportedIncidentAtVersionOneWithItsFirstTimelineEntry()
    {
        var incident = Open(Reports.From("gridco"));

        Assert.Equal((TrackingId, IncidentStatus.Reported, 1L), (incident.TrackingId, incident.Status, incident.Version));
        Assert.Equal(ReportedAt, incident.AwareAt);
        Assert.Equal(["ENERGY"], incident.SectorCodes);
        var entry = Assert.Single(incident.Timeline);
        Assert.Equal((1, "reported", "soc@gridco"), (entry.Sequence, entry.Kind, entry.Actor));
        Assert.Equal("Reported by gridco: Substation HMI unreachable", entry.Summary);
    }

    [Fact]
    public void AReportWithoutALabelIsAmber()
    {
        Assert.Equal(Tlp.Amber, Open(Reports.From("gridco")).Tlp);
        Assert.Equal(Tlp.Red, Open(Reports.From("gridco") with { Tlp = Tlp.Red }).Tlp);
    }

    [Fact]
    public void AnOperatorsReportAffectsItsReporterOnlyAndProposesTheOtherStakeholdersItNamesOnceEach()
    {
        var incident = Open(Reports.From("gridco") with { AffectedStakeholderIds = ["aquaworks", "gridco", "aquaworks"] });

        Assert.Equal(["gridco"], incident.AffectedStakeholderIds);
        Assert.Equal(["aquaworks"], incident.ProposedAffectedStakeholderIds);
        Assert.EndsWith(". Proposed by the reporter, to confirm at triage: affected aquaworks", incident.Timeline[0].Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], new[] { "ENERGY", "DIGITAL_INFRASTRUCTURE" }, new string[0])]
    [InlineData(new[] { "ENERGY" }, new[] { "ENERGY" }, new string[0])]
    [InlineData(new[] { "HEALTH", "BANKING", "ENERGY" }, new[] { "ENERGY" }, new[] { "BANKING", "HEALTH" })]
    [InlineData(new[] { "HEALTH" }, new[] { "DIGITAL_INFRASTRUCTURE", "ENERGY" }, new[] { "HEALTH" })]
    public void AnOperatorsReportIsInItsReportersOwnSectorsAndProposesTheOthersItNames(string[] named, string[] sectors, string[] proposed)
    {
        var incident = IncidentReporting.Open(null, TrackingId, Reports.From("gridco") with { SectorCodes = named }, Nis2EntityClass.Essential,
            ["ENERGY", "DIGITAL_INFRASTRUCTURE"], TriageDeadline, Callers.Operator("gridco"), ReportedAt);

        Assert.Equal(sectors.Order(StringComparer.Ordinal), incident.SectorCodes);
        Assert.Equal(proposed, incident.ProposedSectorCodes);
    }

    [Fact]
    public void AReportByCirtStaffAffectsWhatItNamesAtOnce()
    {
        var report = Reports.From("gridco") with { AffectedStakeholderIds = ["aquaworks", "gridco"], SectorCodes = ["HEALTH", "ENERGY"] };

        var incident = IncidentReporting.Open(null, TrackingId, report, Nis2EntityClass.Essential, ["ENERGY"], TriageDeadline, Callers.Analyst, ReportedAt);

        Assert.Equal(["gridco", "aquaworks"], incident.AffectedStakeholderIds);
        Assert.Equal(["ENERGY", "HEALTH"], incident.SectorCodes);
        Assert.Empty(incident.ProposedAffectedStakeholderIds);
        Assert.Empty(incident.ProposedSectorCodes);
        Assert.Equal("ana", incident.Timeline[0].Actor);
    }

    [Fact]
    public void TheReportersSeverityIsKeptAsItsClaimAndTheCirtsWaitsForTriage()
    {
        var fromOperator = Open(Reports.From("gridco") with { Severity = Severity.Critical });
        var fromStaff = IncidentReporting.Open(null, TrackingId, Reports.From("gridco") with { Severity = Severity.High }, Nis2EntityClass.Essential,
            ["ENERGY"], TriageDeadline, Callers.Analyst, ReportedAt);

        Assert.Equal((Severity.Critical, Severity.Unspecified), (fromOperator.ReportedSeverity, fromOperator.Severity));
        Assert.Equal((Severity.High, Severity.Unspecified), (fromStaff.ReportedSeverity, fromStaff.Severity));
        Assert.Equal(Severity.Critical, fromOperator.ToSummary().ReportedSeverity);
    }

    [Fact]
    public void OnlyTheTriageDeadlineRunsForAnOrdinaryReport()
    {
        var incident = Open(Reports.From("gridco"));

        Assert.Equal([TriageDeadline], incident.Deadlines);
    }

    [Fact]
    public void ASignificantIncidentOfAnEssentialEntityStartsTheNis2DeadlinesFromAwareness()
    {
        var awareAt = ReportedAt.AddHours(-30);

        var incident = Open(Reports.From("gridco", significant: true, awareAt: awareAt));

        Assert.Equal(
            [DeadlineKind.Triage, DeadlineKind.Nis2EarlyWarning, DeadlineKind.Nis2Notification, DeadlineKind.Nis2FinalReport],
            incident.Deadlines.Select(d => d.Kind));
        Assert.Equal(awareAt.AddHours(72), incident.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2Notification).DueAt);
        Assert.EndsWith("(significant incident of a NIS2 essential entity: reporting deadlines run)", incident.Timeline[0].Summary, StringComparison.Ordinal);
    }

    // NIS2 Art. 23(4)(b): a trust service provider notifies within 24 hours an incident affecting its trust services.
    [Theory]
    [InlineData(true, true, 24)]
    [InlineData(true, false, 72)]
    [InlineData(false, true, 72)]
    public void ATrustServiceProviderWhoseTrustServicesAreAffectedNotifiesWithin24Hours(bool trustServiceProvider, bool affectsTrustServices, int hours)
    {
        var awareAt = ReportedAt.AddHours(-3);
        var report = Reports.From("gridco", significant: true, awareAt: awareAt) with { AffectsTrustServices = affectsTrustServices };

        var incident = IncidentReporting.Open(
            null, TrackingId, report, Nis2EntityClass.Essential, ["ENERGY"], TriageDeadline, Callers.Operator("gridco"), ReportedAt, trustServiceProvider);

        Assert.Equal(affectsTrustServices, incident.AffectsTrustServices);
        var notification = incident.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2Notification);
        Assert.Equal(awareAt.AddHours(hours), notification.DueAt);
        Assert.StartsWith($"{hours} h after becoming aware", notification.Basis, StringComparison.Ordinal);
        Assert.Equal(Nis2Clock.FinalReportDue(awareAt.AddHours(hours)), incident.Deadlines.Single(d => d.Kind == DeadlineKind.Nis2FinalReport).DueAt);
    }

    [Fact]
    public void ASignificantIncidentOfAnEntityOutsideNis2StartsNoNis2Deadline()
    {
        var incident = Open(Reports.From("gridco", significant: true), Nis2EntityClass.None);

        Assert.Equal([DeadlineKind.Triage], incident.Deadlines.Select(d => d.Kind));
    }

    [Fact]
    public void AnExerciseSaysSoInItsFirstEntry()
    {
        var incident = Open(Reports.From("gridco") with { Exercise = true });

        Assert.True(incident.Exercise);
        Assert.StartsWith("EXERCISE. ", incident.Timeline[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameObservableReportedTwiceIsKeptOnce()
    {
        var c2 = new Observable(ObservableType.IpAddress, "192.0.2.66", "");

        var incident = Open(Reports.From("gridco") with { Observables = [c2, c2 with { Comment = "again" }] });

        Assert.Equal([c2], incident.Observables);
    }

    [Fact]
    public void OpeningAgainWithTheSameRequestIdReturnsTheIncidentUnchanged()
    {
        var report = Reports.From("gridco");
        var opened = Open(report);

        var again = IncidentReporting.Open(opened, TrackingId, report, Nis2EntityClass.Essential, [], TriageDeadline, Callers.Analyst, ReportedAt.AddHours(1));

        Assert.Same(opened, again);
    }

    [Fact]
    public void OpeningAnExistingIncidentFromAnotherRequestIsRefused()
    {
        var opened = Open(Reports.From("gridco"));

        var refused = Assert.Throws<CirtException>(() => Open(Reports.From("gridco"), existing: opened));

        Assert.Equal(CirtErrorKind.AlreadyExists, refused.Kind);
    }

    [Fact]
    public void AClassificationOutsideTheTaxonomyIsRefusedNamingTheField()
    {
        var badType = Assert.Throws<CirtException>(() => IncidentReporting.Check(
            Reports.From("gridco") with { RsitClass = "malicious-code", RsitType = "phishing" }, Rsit));
        var badClass = Assert.Throws<CirtException>(() => IncidentReporting.Check(
            Reports.From("gridco") with { RsitClass = "malware", RsitType = "" }, Rsit));

        Assert.Equal((CirtErrorKind.InvalidArgument, "rsit_type"), (badType.Kind, badType.Field));
        Assert.Equal((CirtErrorKind.InvalidArgument, "rsit_class"), (badClass.Kind, badClass.Field));
    }

    [Fact]
    public void AReportMayLeaveItsClassificationToTriageButNotHalfOfIt()
    {
        IncidentReporting.Check(Reports.From("gridco"), Rsit);
        IncidentReporting.Check(Reports.From("gridco") with { RsitClass = "malicious-code", RsitType = "infected-system" }, Rsit);

        Assert.Throws<CirtException>(() => IncidentReporting.Check(Reports.From("gridco") with { RsitClass = "malicious-code" }, Rsit));
    }
}
