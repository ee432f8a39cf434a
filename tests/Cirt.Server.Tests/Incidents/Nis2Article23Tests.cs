using Cirt.Grains.Common;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// NIS2 Art. 23(4)(b) to (e) over gRPC, on a server whose business clock the test moves (deadlines
/// are checked every second): a trust service provider's 24-hour notification, the intermediate
/// report the CIRT requests, and the progress report due instead of the final report while the
/// incident is still being handled.
/// </summary>
public sealed class Nis2Article23Tests : DeadlineClockTests
{
    // NIS2 Art. 23(4)(b)
    [Fact]
    public async Task ATrustServiceProviderNotifiesWithin24HoursWhenItsTrustServicesAreAffectedAndAMissedNotificationEscalates()
    {
        var provider = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        provider.TrustServiceProvider = true;
        var id = (await Server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = provider })).Stakeholder.Id;
        var key = await Server.IssueKeyAsync("qtsp-soc", Role.Operator, id);

        var affecting = Reports.Valid(id, significant: true);
        affecting.AffectsTrustServices = true;
        var reported = await Server.Reporting(key).SubmitIncidentAsync(affecting);
        var elsewhere = await Server.Reporting(key).SubmitIncidentAsync(Reports.Valid(id, significant: true));

        Assert.True(reported.Incident.AffectsTrustServices);
        var notification = Assert.Single(reported.Deadlines, d => d.Kind == DeadlineKind.Nis2Notification);
        Assert.Equal(Start.AddHours(24), notification.DueAt.ToDateTimeOffset());
        Assert.StartsWith("24 h after becoming aware: a trust service provider's trust services are affected", notification.Basis, StringComparison.Ordinal);
        Assert.Equal(Start.AddHours(24).AddMonths(1), Deadline(reported.Incident, DeadlineKind.Nis2FinalReport).DueAt.ToDateTimeOffset());
        // Its other incidents keep the usual 72 hours.
        Assert.Equal(Start.AddHours(72), Deadline(elsewhere.Incident, DeadlineKind.Nis2Notification).DueAt.ToDateTimeOffset());

        Clock.Advance(TimeSpan.FromHours(25));
        var escalated = await EscalatedAsync(reported.TrackingId, DeadlineKind.Nis2Notification);
        Assert.Contains(escalated.Timeline, e => e.Kind == "escalated" && e.Summary.StartsWith("NIS2 incident notification overdue (due 2026-11-21T08:00Z", StringComparison.Ordinal));
        var overdue = await Server.Incidents(key).ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Overdue });
        Assert.Equal([reported.TrackingId], overdue.Deadlines.Where(d => d.Deadline.Kind == DeadlineKind.Nis2Notification).Select(d => d.Incident.TrackingId));
    }

    // NIS2 Art. 23(4)(c)
    [Fact]
    public async Task TheCirtRequestsAnIntermediateReportThatIsDueWhenItSaidEscalatesWhenMissedAndIsMetByTheReport()
    {
        var id = await SignificantTriagedAsync();

        var requested = await Server.Incidents().RequestIntermediateReportAsync(new RequestIntermediateReportRequest
        {
            TrackingId = id, DueWithin = Duration.FromTimeSpan(TimeSpan.FromHours(48)), Reason = "Has the ransomware reached the second control centre?",
        });

        Assert.Equal((DeadlineKind.Nis2IntermediateReport, DeadlineStatus.Pending), (requested.Deadline.Kind, requested.Deadline.Status));
        Assert.Equal(Start.AddHours(48), requested.Deadline.DueAt.ToDateTimeOffset());
        var entry = requested.Incident.Timeline[^1];
        Assert.Equal(("alice", "nis2-intermediate-requested"), (entry.Actor, entry.Kind));
        Assert.Equal("NIS2 intermediate report requested, due 2026-11-22T08:00Z: Has the ransomware reached the second control centre?", entry.Summary);
        // The reporter sees what is asked of it among its own deadlines.
        var open = await Server.Incidents(Server.GridcoKey).ListDeadlinesAsync(new ListDeadlinesRequest());
        Assert.Contains(open.Deadlines, d => d.Incident.TrackingId == id && d.Deadline.Kind == DeadlineKind.Nis2IntermediateReport);

        Clock.Advance(TimeSpan.FromHours(49));
        var escalated = await EscalatedAsync(id, DeadlineKind.Nis2IntermediateReport);
        Assert.Contains(escalated.Timeline, e => e.Kind == "escalated" && e.Summary.StartsWith("NIS2 intermediate report overdue", StringComparison.Ordinal));

        var late = await SubmitAsync(id, DeadlineKind.Nis2IntermediateReport, "Contained to the first centre; backups verified.");
        Assert.Equal(DeadlineStatus.MetLate, late.Deadline.Status);

        // A second request, this time with a due time, answered in time.
        var dueAt = Clock.GetUtcNow().AddHours(24);
        var again = await Server.Incidents().RequestIntermediateReportAsync(new RequestIntermediateReportRequest
        {
            TrackingId = id, DueAt = Timestamp.FromDateTimeOffset(dueAt), Reason = "Status of the restoration, please.",
        });
        Assert.Equal((dueAt, DeadlineStatus.Pending), (again.Deadline.DueAt.ToDateTimeOffset(), again.Deadline.Status));
        Clock.Advance(TimeSpan.FromHours(2));
        var onTime = await SubmitAsync(id, DeadlineKind.Nis2IntermediateReport, "Restoration at 60 %.");
        Assert.Equal(DeadlineStatus.Met, onTime.Deadline.Status);
        Assert.Equal(2, onTime.Incident.Nis2Reports.Count(r => r.Stage == DeadlineKind.Nis2IntermediateReport));
    }

    // NIS2 Art. 23(4)(c): an intermediate report nobody asked for is kept, with no deadline to meet.
    [Fact]
    public async Task AnUnrequestedIntermediateReportIsRecordedWithoutADeadline()
    {
        var id = await SignificantTriagedAsync();

        var sent = await SubmitAsync(id, DeadlineKind.Nis2IntermediateReport, "Spontaneous update: contained.");

        Assert.Null(sent.Deadline);
        Assert.Contains(sent.Incident.Timeline, e => e.Kind == "nis2-report" && e.Summary == "NIS2 intermediate report received (none was requested): Spontaneous update: contained.");
    }

    [Fact]
    public async Task ABadIntermediateReportRequestIsRefusedWithTheRightStatus()
    {
        var significant = await SignificantTriagedAsync();
        var ordinary = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var rejected = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        await Server.Incidents().TriageIncidentAsync(new TriageIncidentRequest { TrackingId = rejected, Outcome = TriageOutcome.Reject, Reason = "a test" });
        RequestIntermediateReportRequest Request(string id) => new()
        {
            TrackingId = id, DueWithin = Duration.FromTimeSpan(TimeSpan.FromHours(24)), Reason = "Status update, please.",
        };
        Task Call(RequestIntermediateReportRequest request) => Server.Incidents().RequestIntermediateReportAsync(request).ResponseAsync;
        RequestIntermediateReportRequest Changed(Action<RequestIntermediateReportRequest> change)
        {
            var request = Request(significant);
            change(request);
            return request;
        }

        Assert.Equal(["due", "reason"], await RpcAssert.InvalidFields(() => Call(new RequestIntermediateReportRequest { TrackingId = significant })));
        Assert.Equal(["due_within"], await RpcAssert.InvalidFields(() => Call(Changed(r => r.DueWithin = Duration.FromTimeSpan(TimeSpan.FromHours(-1))))));
        Assert.Equal(["due_within"], await RpcAssert.InvalidFields(() => Call(Changed(r => r.DueWithin = Duration.FromTimeSpan(TimeSpan.FromDays(100))))));
        Assert.Equal(["due_at"], await RpcAssert.InvalidFields(() => Call(Changed(r => r.DueAt = Timestamp.FromDateTimeOffset(Start.AddMinutes(-1))))));
        Assert.Equal(["tracking_id"], await RpcAssert.InvalidFields(() => Call(Request("not-a-tracking-id"))));
        var none = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Call(Request(ordinary)));
        Assert.Contains("has no NIS2 reporting obligations", none.Status.Detail, StringComparison.Ordinal);
        var ended = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Call(Request(rejected)));
        Assert.Contains("is rejected: no more NIS2 reports are requested on it", ended.Status.Detail, StringComparison.Ordinal);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Call(Request("CIRT-2026-999999")));
        // Nothing was stored for any of them.
        Assert.DoesNotContain((await GetAsync(significant)).Deadlines, d => d.Kind == DeadlineKind.Nis2IntermediateReport);
    }

    // NIS2 Art. 23(4)(e)
    [Fact]
    public async Task StillBeingHandledAMonthAfterTheNotificationAProgressReportIsDueThenAndTheFinalReportAMonthAfterTheResolution()
    {
        var id = await SignificantTriagedAsync();
        await Server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Responding });
        Clock.Advance(TimeSpan.FromHours(30));
        await SubmitAsync(id, DeadlineKind.Nis2Notification, "Initial assessment: two HMIs encrypted.");
        var finalDue = Start.AddHours(30).AddMonths(1);

        Clock.Advance(finalDue - Clock.GetUtcNow() + TimeSpan.FromHours(1));
        var turned = await EscalatedAsync(id, DeadlineKind.Nis2ProgressReport);

        Assert.Equal(finalDue, Deadline(turned, DeadlineKind.Nis2ProgressReport).DueAt.ToDateTimeOffset());
        Assert.DoesNotContain(turned.Deadlines, d => d.Kind == DeadlineKind.Nis2FinalReport);
        var note = Assert.Single(turned.Timeline, e => e.Kind == "nis2-progress-due");
        Assert.Equal("system:deadlines", note.Actor);
        Assert.Contains("a progress report is due at that time instead (Art. 23(4)(e))", note.Summary, StringComparison.Ordinal);
        Assert.Contains(turned.Timeline, e => e.Kind == "escalated" && e.Summary.StartsWith("NIS2 progress report overdue", StringComparison.Ordinal));
        var overdue = await Server.Incidents(Server.GridcoKey).ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Overdue });
        Assert.Equal([DeadlineKind.Nis2ProgressReport], overdue.Deadlines.Where(d => d.Incident.TrackingId == id).Select(d => d.Deadline.Kind));

        var progress = await SubmitAsync(id, DeadlineKind.Nis2ProgressReport, "Still restoring the second site.");
        Assert.Equal(DeadlineStatus.MetLate, progress.Deadline.Status);

        Clock.Advance(TimeSpan.FromDays(10));
        var resolvedAt = Clock.GetUtcNow();
        var resolved = (await Server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest
        {
            TrackingId = id, TargetStatus = IncidentStatus.Resolved, Reason = "Both sites back on automatic control",
        })).Incident;
        var final = Deadline(resolved, DeadlineKind.Nis2FinalReport);
        Assert.Equal((resolvedAt.AddMonths(1), DeadlineStatus.Pending), (final.DueAt.ToDateTimeOffset(), final.Status));
        Assert.EndsWith($"NIS2 final report now due {Words.Time(resolvedAt.AddMonths(1))}, one month after the handling of the incident", resolved.Timeline[^1].Summary, StringComparison.Ordinal);

        Clock.Advance(TimeSpan.FromDays(20));
        var reported = await SubmitAsync(id, DeadlineKind.Nis2FinalReport, "Root cause: exposed VPN without MFA; fixed.");
        Assert.Equal(DeadlineStatus.Met, reported.Deadline.Status);
        Assert.DoesNotContain((await Server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest())).Deadlines, d => d.Incident.TrackingId == id);
    }

    // NIS2 Art. 23(4)(d): handled in time, the final report is due one month after the notification, and escalates when missed.
    [Fact]
    public async Task ResolvedBeforeTheFinalReportFallsDueTheFinalReportIsDueThenAndNoProgressReport()
    {
        var id = await SignificantTriagedAsync();
        Clock.Advance(TimeSpan.FromHours(30));
        await SubmitAsync(id, DeadlineKind.Nis2Notification, "Initial assessment: contained.");
        Clock.Advance(TimeSpan.FromDays(5));
        await Server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved });

        Clock.Advance(TimeSpan.FromDays(27));
        var late = await EscalatedAsync(id, DeadlineKind.Nis2FinalReport);

        Assert.Equal(Start.AddHours(30).AddMonths(1), Deadline(late, DeadlineKind.Nis2FinalReport).DueAt.ToDateTimeOffset());
        Assert.DoesNotContain(late.Deadlines, d => d.Kind == DeadlineKind.Nis2ProgressReport);
        Assert.DoesNotContain(late.Timeline, e => e.Kind == "nis2-progress-due");
    }

    private async Task<string> SignificantTriagedAsync()
    {
        var id = (await Server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        await Server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.Medium,
        });
        return id;
    }

    private Task<SubmitNis2ReportResponse> SubmitAsync(string id, DeadlineKind stage, string summary) =>
        Server.Reporting().SubmitNis2ReportAsync(new SubmitNis2ReportRequest
        {
            RequestId = Guid.NewGuid().ToString("N"), TrackingId = id, Stage = stage, Summary = summary,
        }).ResponseAsync;
}
