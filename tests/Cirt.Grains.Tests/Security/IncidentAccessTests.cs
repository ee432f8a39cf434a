using Cirt.Grains.Incidents;
using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Security;

public sealed class IncidentAccessTests
{
    /// <summary>How the operator's organisation (gridco) stands to an incident.</summary>
    public enum Standing
    {
        /// <summary>gridco reported it.</summary>
        Reported,

        /// <summary>watershed reported it; gridco is among the affected stakeholders.</summary>
        Affected,

        /// <summary>watershed reported it and only telco is affected.</summary>
        Unrelated,
    }

    private static readonly Principal Analyst = new("a1b2c3d4e5f60718", "alice", Role.Analyst, "", "");
    private static readonly Principal Coordinator = new("b1b2c3d4e5f60718", "carol", Role.Coordinator, "", "");
    private static readonly Principal GridcoOperator = new("c1b2c3d4e5f60718", "soc", Role.Operator, "gridco", "");
    private static readonly Principal Partner = new("d1b2c3d4e5f60718", "duty", Role.Partner, "", "cert-fr");

    public static TheoryData<Tlp> EveryTlp => new(Enum.GetValues<Tlp>());

    public static TheoryData<Role, Tlp> StaffRolesAndEveryTlp
    {
        get
        {
            var data = new TheoryData<Role, Tlp>();
            foreach (var role in new[] { Role.Analyst, Role.Coordinator })
            {
                foreach (var tlp in Enum.GetValues<Tlp>())
                {
                    data.Add(role, tlp);
                }
            }

            return data;
        }
    }

    private static IncidentSummary Summary(Tlp tlp, string reporter, params string[] affected) => new(
        "CIRT-2026-000001", "Ransomware on the HMI", IncidentStatus.Triaged, Severity.High, tlp, reporter,
        ["energy"], affected, "malicious-code", "infected-system", "alice",
        new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), 2, []);

    private static IncidentSummary Summary(Tlp tlp, Standing standing) => standing switch
    {
        Standing.Reported => Summary(tlp, "gridco", "telco"),
        Standing.Affected => Summary(tlp, "watershed", "telco", "gridco"),
        Standing.Unrelated => Summary(tlp, "watershed", "telco"),
        _ => throw new ArgumentOutOfRangeException(nameof(standing)),
    };

    private static IncidentQuery VisibleTo(string stakeholderId) => IncidentQuery.All() with { VisibleToStakeholder = stakeholderId };

    [Theory]
    [MemberData(nameof(StaffRolesAndEveryTlp))]
    public void CirtStaffSeeAnIncidentOfAnyOrganisationAtEveryTlp(Role role, Tlp tlp)
    {
        var staff = role == Role.Analyst ? Analyst : Coordinator;

        Assert.True(IncidentAccess.CanSee(staff, Summary(tlp, "watershed", "telco")));
        Assert.True(IncidentAccess.CanSee(staff, Summary(tlp, "gridco")));
    }

    [Theory]
    [MemberData(nameof(EveryTlp))]
    public void OperatorSeesAnIncidentItsOrganisationReportedAtEveryTlpIncludingRed(Tlp tlp) =>
        Assert.True(IncidentAccess.CanSee(GridcoOperator, Summary(tlp, Standing.Reported)));

    [Theory]
    [InlineData(Tlp.Clear, true)]
    [InlineData(Tlp.Green, true)]
    [InlineData(Tlp.Amber, true)]
    [InlineData(Tlp.AmberStrict, false)]
    [InlineData(Tlp.Red, false)]
    public void OperatorSeesAnIncidentMerelyAffectingItOnlyUpToAmber(Tlp tlp, bool expected) =>
        Assert.Equal(expected, IncidentAccess.CanSee(GridcoOperator, Summary(tlp, Standing.Affected)));

    [Theory]
    [MemberData(nameof(EveryTlp))]
    public void OperatorNeverSeesAnotherOrganisationsIncidentEvenAtClear(Tlp tlp) =>
        Assert.False(IncidentAccess.CanSee(GridcoOperator, Summary(tlp, Standing.Unrelated)));

    [Theory]
    [MemberData(nameof(EveryTlp))]
    public void PartnerSeesNoIncidentEvenOneNamingItsIdAsStakeholder(Tlp tlp)
    {
        // A partner key that also carries a stakeholder id must not pass for that stakeholder's operator.
        var partnerNamingGridco = Partner with { StakeholderId = "gridco" };

        Assert.False(IncidentAccess.CanSee(Partner, Summary(tlp, "cert-fr", "cert-fr")));
        Assert.False(IncidentAccess.CanSee(partnerNamingGridco, Summary(tlp, Standing.Reported)));
        Assert.False(IncidentAccess.CanSee(partnerNamingGridco, Summary(tlp, Standing.Affected)));
    }

    [Theory]
    [MemberData(nameof(EveryTlp))]
    public void OperatorWithoutAStakeholderSeesNothingNotEvenAnIncidentWithABlankReporter(Tlp tlp)
    {
        var unattached = GridcoOperator with { StakeholderId = "" };

        Assert.False(IncidentAccess.CanSee(unattached, Summary(tlp, Standing.Reported)));
        Assert.False(IncidentAccess.CanSee(unattached, Summary(tlp, "", "")));
    }

    [Fact]
    public void AnInvolvedOrganisationSeesClearGreenAndAmberAndTheReporterEveryLabel()
    {
        Assert.Equal([Tlp.Clear, Tlp.Green, Tlp.Amber], IncidentAccess.LabelsVisibleTo(Audience.InvolvedOrganisation));
        Assert.Equal(Enum.GetValues<Tlp>(), IncidentAccess.LabelsVisibleTo(Audience.NamedRecipient));
    }

    [Theory]
    [InlineData("gridco", "gridco", new[] { "telco" }, Audience.NamedRecipient)]
    [InlineData("gridco", "gridco", new[] { "gridco" }, Audience.NamedRecipient)]
    [InlineData("gridco", "watershed", new[] { "telco", "gridco" }, Audience.InvolvedOrganisation)]
    [InlineData("gridco", "watershed", new[] { "telco" }, null)]
    [InlineData("", "", new[] { "" }, null)]
    public void AnOrganisationStandsAsReporterBeforeAffectedAndOtherwiseNotAtAll(string stakeholderId, string reporter, string[] affected, Audience? expected) =>
        Assert.Equal(expected, IncidentAccess.StandingOf(stakeholderId, reporter, affected));

    [Theory]
    [InlineData(Role.Analyst, "", null)]
    [InlineData(Role.Coordinator, "", null)]
    [InlineData(Role.Operator, "gridco", "gridco")]
    [InlineData(Role.Operator, "", "")]
    [InlineData(Role.Partner, "", "")]
    [InlineData(Role.Partner, "gridco", "")]
    public void TheQueueIsBoundedToTheOperatorsOrganisationAndClosedToPartners(Role role, string stakeholderId, string? expected)
    {
        var principal = GridcoOperator with { Role = role, StakeholderId = stakeholderId };

        Assert.Equal(expected, IncidentAccess.OrganisationScope(principal));
        Assert.Equal(expected, IncidentQuery.All().SeenBy(principal).VisibleToStakeholder);
    }

    [Theory]
    [InlineData(Tlp.Clear, Standing.Reported, true)]
    [InlineData(Tlp.Green, Standing.Reported, true)]
    [InlineData(Tlp.Amber, Standing.Reported, true)]
    [InlineData(Tlp.AmberStrict, Standing.Reported, true)]
    [InlineData(Tlp.Red, Standing.Reported, true)]
    [InlineData(Tlp.Clear, Standing.Affected, true)]
    [InlineData(Tlp.Green, Standing.Affected, true)]
    [InlineData(Tlp.Amber, Standing.Affected, true)]
    [InlineData(Tlp.AmberStrict, Standing.Affected, false)]
    [InlineData(Tlp.Red, Standing.Affected, false)]
    [InlineData(Tlp.Clear, Standing.Unrelated, false)]
    [InlineData(Tlp.Green, Standing.Unrelated, false)]
    [InlineData(Tlp.Amber, Standing.Unrelated, false)]
    [InlineData(Tlp.AmberStrict, Standing.Unrelated, false)]
    [InlineData(Tlp.Red, Standing.Unrelated, false)]
    public void QueueFilterForAnOperatorShowsExactlyTheIncidentsItMayOpen(Tlp tlp, Standing standing, bool expected)
    {
        var summary = Summary(tlp, standing);

        // The list and the single-incident view must agree, or the queue leaks what GetIncident hides.
        Assert.Equal(expected, VisibleTo("gridco").Matches(summary));
        Assert.Equal(expected, IncidentAccess.CanSee(GridcoOperator, summary));
    }

    [Theory]
    [MemberData(nameof(EveryTlp))]
    public void QueueFilterWithoutAViewerShowsEveryIncidentAsCirtStaffSeeIt(Tlp tlp)
    {
        var query = IncidentQuery.All();

        Assert.Null(query.VisibleToStakeholder);
        Assert.True(query.Matches(Summary(tlp, Standing.Unrelated)));
        Assert.True(query.Matches(Summary(tlp, Standing.Affected)));
    }

    [Fact]
    public void QueueFilterForAnOperatorStillAppliesTheOtherFilters()
    {
        var query = VisibleTo("gridco") with { Statuses = [IncidentStatus.Closed] };

        Assert.False(query.Matches(Summary(Tlp.Clear, Standing.Reported)));
        Assert.True(query.Matches(Summary(Tlp.Clear, Standing.Reported) with { Status = IncidentStatus.Closed }));
    }

    [Theory]
    [InlineData(Role.Analyst, "alice", "", "", "alice")]
    [InlineData(Role.Coordinator, "carol", "", "", "carol")]
    [InlineData(Role.Operator, "soc", "gridco", "", "soc@gridco")]
    [InlineData(Role.Partner, "duty", "", "cert-fr", "duty@partner:cert-fr")]
    public void ActorNamesThePrincipalAsTimelinesShowIt(Role role, string name, string stakeholderId, string partnerId, string expected) =>
        Assert.Equal(expected, new Principal("e1b2c3d4e5f60718", name, role, stakeholderId, partnerId).Actor);

    [Theory]
    [InlineData(Role.Analyst, true)]
    [InlineData(Role.Coordinator, true)]
    [InlineData(Role.Operator, false)]
    [InlineData(Role.Partner, false)]
    public void OnlyAnalystsAndCoordinatorsAreCirtStaff(Role role, bool expected) =>
        Assert.Equal(expected, (GridcoOperator with { Role = role }).IsCirtStaff);
}
