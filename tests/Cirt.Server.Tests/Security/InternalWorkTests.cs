using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// Issue 16, finding 6: the CIRT's internal notes, its law-enforcement referrals and the reporter's
/// personal contact are for CIRT staff; the organisations involved see none of them, nor any sign of them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InternalWorkTests(ServerFixture server)
{
    private const string Suspicion = "suspect: gridco insider J. Doe";
    private const string PoliceReference = "NP-2026-0042";

    /// <summary>gridco's AMBER incident affecting firstbank, reported by Jane Roe, with an analyst's note and a referral.</summary>
    private async Task<string> IncidentWithInternalWorkAsync()
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Amber;
        report.AffectedStakeholderIds.Add("firstbank");
        report.ReporterContact = new ReporterContact { Name = "Jane Roe", Email = "jane.roe@gridco.example", Phone = "+352 555 0101" };
        var trackingId = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = Suspicion });
        await server.Incidents().ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest
        {
            TrackingId = trackingId, Agency = "National Police - Cybercrime Unit", Reference = PoliceReference, Note = "insider case",
        });
        return trackingId;
    }

    [Theory]
    [InlineData("firstbank")]
    [InlineData("gridco")]
    public async Task AnOrganisationInvolvedReadsNoInternalNoteReferralOrReporterContact(string organisation)
    {
        var trackingId = await IncidentWithInternalWorkAsync();
        var key = organisation == "gridco" ? server.GridcoKey : await server.IssueKeyAsync(organisation + "-soc", Role.Operator, organisation);

        var incident = (await server.Incidents(key).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        var text = incident.ToString();
        Assert.DoesNotContain("J. Doe", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PoliceReference, text, StringComparison.Ordinal);
        Assert.DoesNotContain("National Police", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Roe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.roe@", text, StringComparison.Ordinal);
        Assert.DoesNotContain("555 0101", text, StringComparison.Ordinal);
        Assert.Empty(incident.Referrals);
        Assert.Null(incident.ReporterContact);
        Assert.DoesNotContain(incident.Timeline, e => e.Kind is "note" or "referred");
    }

    [Fact]
    public async Task CirtStaffReadTheInternalNoteTheReferralAndTheReporterContact()
    {
        var trackingId = await IncidentWithInternalWorkAsync();

        var incident = (await server.Incidents(server.CoordinatorKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        Assert.Contains(incident.Timeline, e => e.Kind == "note" && e.Summary == Suspicion);
        Assert.Equal(PoliceReference, Assert.Single(incident.Referrals).Reference);
        Assert.Equal("Jane Roe", incident.ReporterContact.Name);
    }
}
