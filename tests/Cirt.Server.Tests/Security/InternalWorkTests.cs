using Cirt.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// Issue 16, finding 6: the CIRT's internal notes, its law-enforcement referrals and the reporter's
/// personal contact are for CIRT staff; the organisations involved see none of them, nor any sign
/// of them, on any path that returns an incident.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InternalWorkTests(ServerFixture server)
{
    private const string Suspicion = "suspect: gridco insider J. Doe";
    private const string PoliceReference = "NP-2026-0042";

    /// <summary>What none of an organisation's answers may contain.</summary>
    private static readonly string[] Secrets = ["J. Doe", PoliceReference, "National Police", "Jane Roe", "jane.roe@", "555 0101"];

    /// <summary>gridco's AMBER incident affecting firstbank, reported by Jane Roe, with an analyst's note and a referral.</summary>
    private async Task<string> IncidentWithInternalWorkAsync()
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Amber;
        report.ReporterContact = new ReporterContact { Name = "Jane Roe", Email = "jane.roe@gridco.example", Phone = "+352 555 0101" };
        var trackingId = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = trackingId, StakeholderIds = { "firstbank" } });
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = Suspicion });
        await server.Incidents().ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest
        {
            TrackingId = trackingId, Agency = "National Police - Cybercrime Unit", Reference = PoliceReference, Note = "insider case",
        });
        return trackingId;
    }

    private async Task<string> KeyOfAsync(string organisation) =>
        organisation == "gridco" ? server.GridcoKey : await server.IssueKeyAsync(organisation + "-soc", Role.Operator, organisation);

    private static void AssertNoInternalWork(IMessage answer, string path)
    {
        var text = answer.ToString() ?? "";
        foreach (var secret in Secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{path} shows '{secret}' to an organisation");
        }
    }

    [Theory]
    [InlineData("firstbank")]
    [InlineData("gridco")]
    public async Task AnOrganisationInvolvedReadsNoInternalNoteReferralOrReporterContact(string organisation)
    {
        var trackingId = await IncidentWithInternalWorkAsync();
        var key = await KeyOfAsync(organisation);

        var incident = (await server.Incidents(key).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        AssertNoInternalWork(incident, "GetIncident");
        Assert.Empty(incident.Referrals);
        Assert.Null(incident.ReporterContact);
        Assert.DoesNotContain(incident.Timeline, e => e.Kind is "note" or "referred");
        Assert.All(incident.Timeline, e => Assert.Equal(TimelineVisibility.Shared, e.Visibility));
    }

    [Fact]
    public async Task NothingAnOrganisationReadsTellsThatInternalEntriesExist()
    {
        var trackingId = await IncidentWithInternalWorkAsync();
        var staff = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        var firstbank = server.Incidents(await KeyOfAsync("firstbank"));
        var read = await firstbank.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId });
        // A token of the CIRT's own numbering, forged to reach past the end: still only what firstbank reads.
        var forged = await firstbank.GetIncidentAsync(new GetIncidentRequest
        {
            TrackingId = trackingId, TimelinePageToken = Convert.ToBase64String("timeline-before:9999"u8.ToArray()),
        });

        Assert.Equal(staff.TimelineTotal - 2, read.Incident.TimelineTotal);
        Assert.Equal(Enumerable.Range(1, read.Incident.TimelineTotal), read.Incident.Timeline.Select(e => e.Sequence));
        Assert.Equal("", read.TimelineNextPageToken);
        Assert.Equal(read.Incident.Timeline, forged.Incident.Timeline);
    }

    [Fact]
    public async Task CirtStaffReadTheInternalNoteTheReferralAndTheReporterContactMarkedInternal()
    {
        var trackingId = await IncidentWithInternalWorkAsync();

        var incident = (await server.Incidents(server.CoordinatorKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        Assert.Equal(TimelineVisibility.Internal, Assert.Single(incident.Timeline, e => e.Kind == "note" && e.Summary == Suspicion).Visibility);
        Assert.Equal(TimelineVisibility.Internal, Assert.Single(incident.Timeline, e => e.Kind == "referred").Visibility);
        Assert.Equal(TimelineVisibility.Shared, incident.Timeline[0].Visibility);
        Assert.Equal(PoliceReference, Assert.Single(incident.Referrals).Reference);
        Assert.Equal("Jane Roe", incident.ReporterContact.Name);
    }

    [Fact]
    public async Task ANoteTheCirtSharesReachesTheOrganisationsAndTheirNotesReachEachOther()
    {
        var trackingId = await IncidentWithInternalWorkAsync();
        var firstbank = server.Incidents(await KeyOfAsync("firstbank"));
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Block 203.0.113.7 at your border", Visibility = TimelineVisibility.Shared });
        await firstbank.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Blocked at firstbank too" });

        var gridco = (await server.Incidents(server.GridcoKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        Assert.Equal(
            ["Block 203.0.113.7 at your border", "Blocked at firstbank too"],
            gridco.Timeline.Where(e => e.Kind == "note").Select(e => e.Summary));
    }

    [Fact]
    public async Task AnOrganisationIsRefusedAnInternalNoteAndNothingIsAdded()
    {
        var trackingId = await IncidentWithInternalWorkAsync();
        var gridco = server.Incidents(server.GridcoKey);
        var before = (await gridco.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

        var refusal = await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => gridco.AddNoteAsync(new AddNoteRequest
        {
            TrackingId = trackingId, Text = "keep this from firstbank", Visibility = TimelineVisibility.Internal,
        }).ResponseAsync);

        Assert.Contains("Internal notes are the CIRT's", refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before.Version, (await gridco.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident.Version);
    }

    [Fact]
    public async Task AVisibilityNobodyDefinedIsRefusedNamingTheField()
    {
        var trackingId = await IncidentWithInternalWorkAsync();

        var fields = await RpcAssert.InvalidFields(() => server.Incidents().AddNoteAsync(new AddNoteRequest
        {
            TrackingId = trackingId, Text = "x", Visibility = (TimelineVisibility)7,
        }).ResponseAsync);

        Assert.Equal(["visibility"], fields);
    }

    [Fact]
    public async Task EveryAnswerThatCarriesTheIncidentToAnOrganisationLeavesTheInternalWorkOut()
    {
        var trackingId = await IncidentWithInternalWorkAsync();
        var staff = server.Incidents();
        await staff.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = trackingId, Outcome = TriageOutcome.Accept, RsitClass = "intrusions", RsitType = "system-compromise", Severity = Severity.High,
        });
        await staff.AddTaskAsync(new AddTaskRequest { TrackingId = trackingId, Title = "Send the gateway logs", AssigneeStakeholderId = "firstbank" });
        var task = (await staff.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident.Tasks.Single(t => t.AssigneeStakeholderId == "firstbank");
        var firstbank = server.Incidents(await KeyOfAsync("firstbank"));
        var gridco = server.Incidents(server.GridcoKey);

        var answers = new List<(string Path, IMessage Answer)>
        {
            ("AddNote", await firstbank.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Gateway logs attached" })),
            ("AddObservables", await firstbank.AddObservablesAsync(new AddObservablesRequest
            {
                TrackingId = trackingId, Observables = { new Observable { Type = ObservableType.IpAddress, Value = "198.51.100.9" } },
            })),
            ("UpdateTask", await firstbank.UpdateTaskAsync(new UpdateTaskRequest { TrackingId = trackingId, TaskNumber = task.Number, Status = IncidentTaskStatus.Done })),
            ("SetRestoration", await firstbank.SetRestorationAsync(new SetRestorationRequest { TrackingId = trackingId, StakeholderId = "firstbank", Restored = true })),
            ("GetIncident", await firstbank.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 1_000 })),
            ("ListIncidents", await firstbank.ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 })),
            ("ListTasks", await firstbank.ListTasksAsync(new ListTasksRequest { IncludeFinished = true, PageSize = 500 })),
            ("ListDeadlines", await firstbank.ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.All, PageSize = 500 })),
            ("gridco's AddNote", await gridco.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Thanks" })),
        };

        foreach (var (path, answer) in answers)
        {
            AssertNoInternalWork(answer, path);
        }
    }

    [Fact]
    public async Task TheReporterDoesNotReadItsOwnContactBackFromTheAnswerToItsReport()
    {
        var report = Reports.Valid("gridco");
        report.ReporterContact = new ReporterContact { Name = "Jane Roe", Email = "jane.roe@gridco.example", Phone = "+352 555 0101" };

        var answer = await server.Reporting().SubmitIncidentAsync(report);
        var staff = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = answer.TrackingId })).Incident;

        AssertNoInternalWork(answer, "SubmitIncident");
        Assert.Equal("jane.roe@gridco.example", staff.ReporterContact.Email);
    }
}
