using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

[Collection(ServerCollection.Name)]
public sealed class IncidentServiceTests(ServerFixture server)
{
    private async Task<Incident> ReportAsync() =>
        (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).Incident;

    private static TriageIncidentRequest Accept(string trackingId, Severity severity = Severity.High) => new()
    {
        TrackingId = trackingId,
        Outcome = TriageOutcome.Accept,
        RsitClass = "malicious-code",
        RsitType = "infected-system",
        Severity = severity,
        Tlp = Tlp.AmberStrict,
        Assignee = "alice",
    };

    [Fact]
    public async Task AnIncidentGoesThroughItsWholeLifecycleWithEveryChangeInTheTimeline()
    {
        var incident = await ReportAsync();
        var analyst = server.Incidents(await server.IssueKeyAsync("bob", Role.Analyst));

        var triaged = (await analyst.TriageIncidentAsync(Accept(incident.TrackingId, Severity.Medium))).Incident;
        Assert.Equal(IncidentStatus.Triaged, triaged.Status);
        Assert.Equal("malicious-code", triaged.RsitClass);
        Assert.Equal(Tlp.AmberStrict, triaged.Tlp);
        Assert.Equal("alice", triaged.Assignee);

        foreach (var next in new[] { IncidentStatus.Responding, IncidentStatus.Recovering, IncidentStatus.Resolved, IncidentStatus.Closed })
        {
            if (next == IncidentStatus.Resolved)
            {
                await server.Incidents(server.GridcoKey).SetRestorationAsync(new SetRestorationRequest { TrackingId = incident.TrackingId, StakeholderId = "gridco", Restored = true });
            }

            var moved = (await analyst.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = incident.TrackingId, TargetStatus = next })).Incident;
            Assert.Equal(next, moved.Status);
        }

        var closed = (await analyst.GetIncidentAsync(new GetIncidentRequest { TrackingId = incident.TrackingId })).Incident;
        // Closing cancels the playbook's tasks still open, in one entry of the closing change.
        Assert.Equal(
            ["reported", "triaged", "tasks-created", "transitioned", "transitioned", "restoration", "transitioned", "transitioned", "tasks-cancelled"],
            closed.Timeline.Select(e => e.Kind));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], closed.Timeline.Select(e => e.Sequence));
        Assert.All(closed.Tasks, t => Assert.Equal(IncidentTaskStatus.Cancelled, t.Status));
        Assert.All(closed.Timeline.Skip(1), e => Assert.Equal(
            e.Kind switch { "tasks-created" => "system:playbook", "restoration" => "gridco-soc@gridco", _ => "bob" }, e.Actor));
        Assert.Empty(closed.AllowedTransitions);
    }

    [Fact]
    public async Task ACriticalIncidentClosesOnlyAfterItsPostIncidentReview()
    {
        var incident = await ReportAsync();
        var analyst = server.Incidents();
        await analyst.TriageIncidentAsync(Accept(incident.TrackingId, Severity.Critical));
        var early = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => analyst.RecordReviewAsync(Review(incident.TrackingId)).ResponseAsync);
        Assert.Contains("recovering or resolved", early.Status.Detail);
        await analyst.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = incident.TrackingId, TargetStatus = IncidentStatus.Resolved });

        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => analyst.TransitionIncidentAsync(
            new TransitionIncidentRequest { TrackingId = incident.TrackingId, TargetStatus = IncidentStatus.Closed }).ResponseAsync);
        Assert.Contains("post-incident review", refused.Status.Detail);

        var missing = await RpcAssert.InvalidFields(() => analyst.RecordReviewAsync(new RecordReviewRequest { TrackingId = incident.TrackingId, FollowUpActions = { "" } }).ResponseAsync);
        Assert.Equal(["follow_up_actions[0]", "root_cause", "what_happened"], missing.Order());

        var reviewed = (await analyst.RecordReviewAsync(Review(incident.TrackingId))).Incident;
        Assert.Equal("VPN appliance without MFA", reviewed.Review.RootCause);
        Assert.Equal(["Advisory to the energy sector on VPN MFA", "Exercise manual grid control yearly"], reviewed.Review.FollowUpActions);
        Assert.Equal("alice", reviewed.Review.RecordedBy);
        Assert.Equal("reviewed", reviewed.Timeline[^1].Kind);

        var closed = (await analyst.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = incident.TrackingId, TargetStatus = IncidentStatus.Closed })).Incident;
        Assert.Equal(IncidentStatus.Closed, closed.Status);
    }

    [Fact]
    public async Task ARecoveringIncidentIsResolvedOnceEveryAffectedStakeholderIsRestoredOrACoordinatorOverrides()
    {
        var report = Reports.Valid("gridco");
        report.AffectedStakeholderIds.Add("aquaworks");
        var id = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        var analyst = server.Incidents();
        var accept = Accept(id, Severity.Medium);
        accept.ConfirmProposed = true; // gridco proposed aquaworks; the analyst confirms it
        await analyst.TriageIncidentAsync(accept);
        await analyst.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Responding });
        await analyst.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Recovering });

        // GridCo reports its own restoration; it may not speak for AquaWorks.
        var gridco = server.Incidents(server.GridcoKey);
        var restored = (await gridco.SetRestorationAsync(new SetRestorationRequest { TrackingId = id, StakeholderId = "gridco", Restored = true, Note = "automatic control back" })).Incident;
        Assert.Contains("still to restore: aquaworks", restored.Timeline[^1].Summary);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => gridco.SetRestorationAsync(new SetRestorationRequest { TrackingId = id, StakeholderId = "aquaworks", Restored = true }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.SetRestorationAsync(new SetRestorationRequest { TrackingId = id, StakeholderId = "aquaworks", Restored = true, Note = "by phone" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => server.Incidents(server.CoordinatorKey).SetRestorationAsync(
            new SetRestorationRequest { TrackingId = id, StakeholderId = "firstbank", Restored = true, Note = "by phone" }).ResponseAsync);

        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => analyst.TransitionIncidentAsync(
            new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved }).ResponseAsync);
        Assert.Contains("not yet restored: aquaworks", refused.Status.Detail);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.TransitionIncidentAsync(
            new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved, OverrideRestoration = true, Reason = "r" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => server.Incidents(server.CoordinatorKey).TransitionIncidentAsync(
            new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved, OverrideRestoration = true }).ResponseAsync);

        var resolved = (await server.Incidents(server.CoordinatorKey).TransitionIncidentAsync(new TransitionIncidentRequest
        {
            TrackingId = id, TargetStatus = IncidentStatus.Resolved, OverrideRestoration = true, Reason = "AquaWorks runs on its backup plant for weeks",
        })).Incident;
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Contains("(resolved with aquaworks not restored)", resolved.Timeline[^1].Summary);
        Assert.Equal([("gridco", true)], resolved.Restorations.Select(r => (r.StakeholderId, r.Restored)));
    }

    [Fact]
    public async Task AReferralToLawEnforcementIsRecordedOnceWithItsReference()
    {
        var incident = await ReportAsync();
        var refer = new ReferToLawEnforcementRequest
        {
            TrackingId = incident.TrackingId, Agency = "National Police - Cybercrime Unit", Reference = "NP-2026-1234", Note = "extortion",
        };

        await server.Incidents().ReferToLawEnforcementAsync(refer);
        var again = (await server.Incidents().ReferToLawEnforcementAsync(refer)).Incident;

        var referral = Assert.Single(again.Referrals);
        Assert.Equal(("National Police - Cybercrime Unit", "NP-2026-1234", "alice"), (referral.Agency, referral.Reference, referral.By));
        Assert.Single(again.Timeline, e => e.Kind == "referred");
        Assert.Equal(["agency", "reference"], (await RpcAssert.InvalidFields(() => server.Incidents().ReferToLawEnforcementAsync(
            new ReferToLawEnforcementRequest { TrackingId = incident.TrackingId }).ResponseAsync)).Order());
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => server.Incidents(server.GridcoKey).ReferToLawEnforcementAsync(refer).ResponseAsync);
    }

    private static RecordReviewRequest Review(string trackingId) => new()
    {
        TrackingId = trackingId,
        WhatHappened = "Ransomware through the VPN encrypted two HMIs; manual control for six hours.",
        RootCause = "VPN appliance without MFA",
        WhatWorked = "Manual control fallback; early report to the CIRT.",
        Lessons = "Segment the OT network from the VPN.",
        FollowUpActions = { "Advisory to the energy sector on VPN MFA", "Exercise manual grid control yearly" },
    };

    [Fact]
    public async Task AnIllegalTransitionSaysWhichAreLegal()
    {
        var incident = await ReportAsync();
        await server.Incidents().TriageIncidentAsync(Accept(incident.TrackingId));

        var ex = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => server.Incidents().TransitionIncidentAsync(
            new TransitionIncidentRequest { TrackingId = incident.TrackingId, TargetStatus = IncidentStatus.Closed }).ResponseAsync);

        Assert.Contains("responding, resolved", ex.Status.Detail);
    }

    [Fact]
    public async Task TriageOfAClosedIncidentIsRefused()
    {
        var incident = await ReportAsync();
        var analyst = server.Incidents();
        await analyst.TriageIncidentAsync(Accept(incident.TrackingId, Severity.Low));
        foreach (var next in new[] { IncidentStatus.Resolved, IncidentStatus.Closed })
        {
            await analyst.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = incident.TrackingId, TargetStatus = next });
        }

        var ex = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => analyst.TriageIncidentAsync(Accept(incident.TrackingId)).ResponseAsync);

        Assert.Contains("this one is closed", ex.Status.Detail);
    }

    [Fact]
    public async Task AStaleExpectedVersionIsAbortedAndChangesNothing()
    {
        var incident = await ReportAsync();
        var analyst = server.Incidents();
        await analyst.AssignIncidentAsync(new AssignIncidentRequest { TrackingId = incident.TrackingId, Assignee = "alice", ExpectedVersion = incident.Version });

        await RpcAssert.FailsWith(StatusCode.Aborted, () => analyst.AssignIncidentAsync(
            new AssignIncidentRequest { TrackingId = incident.TrackingId, Assignee = "bob", ExpectedVersion = incident.Version }).ResponseAsync);

        var current = (await analyst.GetIncidentAsync(new GetIncidentRequest { TrackingId = incident.TrackingId })).Incident;
        Assert.Equal("alice", current.Assignee);
        Assert.Equal(incident.Version + 1, current.Version);
    }

    [Fact]
    public async Task NotesFromManyAnalystsAtOnceAllLand()
    {
        var incident = await ReportAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(n =>
            server.Incidents(n % 2 == 0 ? server.AnalystKey : server.CoordinatorKey).AddNoteAsync(new AddNoteRequest { TrackingId = incident.TrackingId, Text = $"note {n}" }).ResponseAsync));

        var current = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = incident.TrackingId })).Incident;
        var notes = current.Timeline.Where(e => e.Kind == "note").ToArray();
        Assert.Equal(20, notes.Length);
        Assert.Equal(Enumerable.Range(0, 20).Select(n => $"note {n}").Order(), notes.Select(e => e.Summary).Order());
        Assert.Equal(Enumerable.Range(1, 21), current.Timeline.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ObservablesAlreadyPresentAreNotAddedTwice()
    {
        var incident = await ReportAsync();
        var request = new AddObservablesRequest
        {
            TrackingId = incident.TrackingId,
            Observables =
            {
                new Observable { Type = ObservableType.IpAddress, Value = "203.0.113.7" },
                new Observable { Type = ObservableType.Domain, Value = "Evil.Example." },
            },
        };

        var response = await server.Incidents().AddObservablesAsync(request);

        Assert.Equal(1, response.AddedCount);
        Assert.Equal(["203.0.113.7", "evil.example"], response.Incident.Observables.Select(o => o.Value));
    }

    [Fact]
    public async Task MarkingADuplicateLinksTheOriginal()
    {
        var original = await ReportAsync();
        var copy = await ReportAsync();

        var duplicate = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = copy.TrackingId,
            Outcome = TriageOutcome.Duplicate,
            DuplicateOf = original.TrackingId,
        })).Incident;

        Assert.Equal(IncidentStatus.Duplicate, duplicate.Status);
        Assert.Equal(original.TrackingId, duplicate.DuplicateOf);
        var linked = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = original.TrackingId })).Incident;
        Assert.Contains(linked.Timeline, e => e.Kind == "duplicate-linked" && e.Summary.Contains(copy.TrackingId));
    }

    [Fact]
    public async Task RejectingNeedsAReason()
    {
        var incident = await ReportAsync();

        var fields = await RpcAssert.InvalidFields(() => server.Incidents().TriageIncidentAsync(
            new TriageIncidentRequest { TrackingId = incident.TrackingId, Outcome = TriageOutcome.Reject }).ResponseAsync);

        Assert.Equal(["reason"], fields);
    }

    [Fact]
    public async Task UnknownAndMalformedTrackingIdsAreToldApart()
    {
        await RpcAssert.FailsWith(StatusCode.NotFound,
            () => server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = "CIRT-1999-999999" }).ResponseAsync);
        var fields = await RpcAssert.InvalidFields(
            () => server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = "'; DROP TABLE x" }).ResponseAsync);
        Assert.Equal(["tracking_id"], fields);
    }

    [Fact]
    public async Task TheQueueFiltersSortsAndPages()
    {
        var stakeholder = await TestStakeholders.CreateAsync(server, "ENERGY");
        var severities = new[] { Severity.Low, Severity.Critical, Severity.Medium, Severity.High, Severity.Critical };
        var ids = new List<string>();
        foreach (var severity in severities)
        {
            var incident = (await server.Reporting(server.AnalystKey).SubmitIncidentAsync(Reports.Valid(stakeholder))).Incident;
            await server.Incidents().TriageIncidentAsync(Accept(incident.TrackingId, severity));
            ids.Add(incident.TrackingId);
        }

        var request = new ListIncidentsRequest { StakeholderId = stakeholder, Order = IncidentOrder.MostSevereFirst, PageSize = 2 };
        var seen = new List<IncidentSummary>();
        do
        {
            var page = await server.Incidents().ListIncidentsAsync(request);
            Assert.Equal(5, page.TotalSize);
            Assert.True(page.Incidents.Count <= 2);
            seen.AddRange(page.Incidents);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(ids.Order(), seen.Select(s => s.TrackingId).Order());
        Assert.Equal([Severity.Critical, Severity.Critical, Severity.High, Severity.Medium, Severity.Low], seen.Select(s => s.Severity));
        var critical = await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholder, Severities = { Severity.Critical } });
        Assert.Equal(2, critical.TotalSize);
        var newest = await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholder, Statuses = { IncidentStatus.Triaged } });
        Assert.Equal(ids.AsEnumerable().Reverse(), newest.Incidents.Select(s => s.TrackingId));
        var otherSector = await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholder, SectorCode = "HEALTH" });
        Assert.Equal(0, otherSector.TotalSize);
    }

    [Fact]
    public async Task BadPagingIsRefused()
    {
        Assert.Equal(["page_token"], await RpcAssert.InvalidFields(() =>
            server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageToken = "garbage" }).ResponseAsync));
        Assert.Equal(["page_size"], await RpcAssert.InvalidFields(() =>
            server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageSize = 501 }).ResponseAsync));
    }
}
