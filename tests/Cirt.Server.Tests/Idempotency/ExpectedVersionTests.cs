using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>Every change to an incident honours expected_version: made over a stale version, it is ABORTED and nothing changes.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExpectedVersionTests(ServerFixture server)
{
    [Fact]
    public async Task EveryIncidentChangeOverAStaleVersionIsAborted()
    {
        var reported = await server.Reporting().SubmitIncidentAsync(Reports.Valid(significant: true));
        var id = reported.TrackingId;
        var incidents = server.Incidents(server.CoordinatorKey);
        var triaged = (await incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        })).Incident;
        var stale = triaged.Version - 1;

        var calls = new Dictionary<string, Func<Task>>
        {
            ["TriageIncident"] = () => incidents.TriageIncidentAsync(new TriageIncidentRequest { TrackingId = id, Outcome = TriageOutcome.Reject, Reason = "no", ExpectedVersion = stale }).ResponseAsync,
            ["TransitionIncident"] = () => incidents.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Responding, ExpectedVersion = stale }).ResponseAsync,
            ["AssignIncident"] = () => incidents.AssignIncidentAsync(new AssignIncidentRequest { TrackingId = id, Assignee = "alice", ExpectedVersion = stale }).ResponseAsync,
            ["AddNote"] = () => incidents.AddNoteAsync(new AddNoteRequest { TrackingId = id, Text = "late", ExpectedVersion = stale }).ResponseAsync,
            ["AddObservables"] = () => incidents.AddObservablesAsync(new AddObservablesRequest
            {
                TrackingId = id, Observables = { new Observable { Type = ObservableType.Domain, Value = "late.example" } }, ExpectedVersion = stale,
            }).ResponseAsync,
            ["RecordReview"] = () => incidents.RecordReviewAsync(new RecordReviewRequest
            {
                TrackingId = id, WhatHappened = "HMI encrypted", RootCause = "phishing", WhatWorked = "manual control", Lessons = "train staff", ExpectedVersion = stale,
            }).ResponseAsync,
            ["AddTask"] = () => incidents.AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "late", AssigneeStakeholderId = "gridco", ExpectedVersion = stale }).ResponseAsync,
            ["UpdateTask"] = () => incidents.UpdateTaskAsync(new UpdateTaskRequest { TrackingId = id, TaskNumber = 1, Status = IncidentTaskStatus.Done, ExpectedVersion = stale }).ResponseAsync,
            ["SetRestoration"] = () => incidents.SetRestorationAsync(new SetRestorationRequest { TrackingId = id, StakeholderId = "gridco", Restored = false, ExpectedVersion = stale }).ResponseAsync,
            ["ReferToLawEnforcement"] = () => incidents.ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest { TrackingId = id, Agency = "Police", Reference = "P-1", ExpectedVersion = stale }).ResponseAsync,
            ["AddAffectedStakeholders"] = () => incidents.AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = id, StakeholderIds = { "gridco" }, ExpectedVersion = stale }).ResponseAsync,
            ["RequestIntermediateReport"] = () => incidents.RequestIntermediateReportAsync(new RequestIntermediateReportRequest
            {
                TrackingId = id, DueWithin = Duration.FromTimeSpan(TimeSpan.FromDays(2)), Reason = "how far is it?", ExpectedVersion = stale,
            }).ResponseAsync,
            ["ShareIncident"] = () => incidents.ShareIncidentAsync(new ShareIncidentRequest { TrackingId = id, PartnerId = "no-such-partner", ExpectedVersion = stale }).ResponseAsync,
            ["LinkIncident"] = () => incidents.LinkIncidentAsync(new LinkIncidentRequest { TrackingId = id, LinkedTrackingId = "CIRT-2026-999999", ExpectedVersion = stale }).ResponseAsync,
        };

        var outcomes = new Dictionary<string, StatusCode>();
        foreach (var (method, call) in calls)
        {
            outcomes[method] = (await RpcAssert.StatusOf(call)).StatusCode;
        }

        Assert.All(outcomes, o => Assert.True(o.Value == StatusCode.Aborted, $"{o.Key}: {o.Value}"));
        var after = (await incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = id })).Incident;
        Assert.Equal(triaged.Version, after.Version);
        // Every mutating incident request has the field: a new one without it fails here.
        var mutating = IncidentService.Descriptor.Methods.Where(m => !m.Name.StartsWith("List", StringComparison.Ordinal) && !m.Name.StartsWith("Get", StringComparison.Ordinal)
            && !m.Name.StartsWith("Watch", StringComparison.Ordinal));
        Assert.Equal(mutating.Select(m => m.Name).Order(), calls.Keys.Order());
        Assert.All(mutating, m => Assert.NotNull(m.InputType.FindFieldByName("expected_version")));
    }
}
