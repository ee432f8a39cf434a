using System.Diagnostics;
using Cirt.Contracts.V1;
using Cirt.Server.Incidents;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Incidents;

/// <summary>WatchIncidents: the queue as a stream, filtered and scoped like ListIncidents.</summary>
[Collection(ServerCollection.Name)]
public sealed class WatchIncidentsTests(ServerFixture server)
{
    [Fact]
    public async Task AWatcherSeesANewReportWithinASecond()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = server.Incidents().WatchIncidents(new WatchIncidentsRequest { Statuses = { IncidentStatus.Reported } }, cancellationToken: cancel.Token);
        var snapshot = await SnapshotAsync(call.ResponseStream, cancel.Token);
        Assert.All(snapshot, e => Assert.Equal(IncidentStatus.Reported, e.Incident.Status));

        var report = Reports.Valid("gridco", significant: true);
        report.Title = "Watched: phishing wave at GridCo";
        var submitted = await server.Reporting().SubmitIncidentAsync(report);
        var clock = Stopwatch.StartNew();
        var created = await NextAsync(call.ResponseStream, e => e.TrackingId == submitted.TrackingId, cancel.Token);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the new report reached the watcher after {clock.Elapsed}");
        Assert.Equal(WatchEventKind.Created, created.Kind);
        Assert.Equal("Watched: phishing wave at GridCo", created.Incident.Title);
        Assert.Equal(created.Incident.Version, created.Version);
        // The triage SLA and, for a significant report, NIS2 clocks: the watcher gets the deadlines with the row.
        Assert.Contains(created.Deadlines, d => d.Kind == DeadlineKind.Triage && d.Status == DeadlineStatus.Pending);
        Assert.Contains(created.Deadlines, d => d.Kind == DeadlineKind.Nis2Notification);
    }

    [Fact]
    public async Task AnOperatorsWatcherDoesNotSeeAnotherOrganisationsIncident()
    {
        var bank = await server.IssueKeyAsync("bank-watch", Role.Operator, "firstbank");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = server.Incidents(bank).WatchIncidents(new WatchIncidentsRequest { SnapshotSize = 500 }, cancellationToken: cancel.Token);
        var snapshot = await SnapshotAsync(call.ResponseStream, cancel.Token);
        Assert.All(snapshot, e => Assert.True(
            e.Incident.ReporterStakeholderId == "firstbank" || e.Incident.AffectedStakeholderIds.Contains("firstbank"),
            $"{e.TrackingId} (reported by {e.Incident.ReporterStakeholderId}) is not the bank's"));

        // GridCo's report is written first: had the bank's stream carried it, it would come before the bank's own.
        var gridcos = (await server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var banks = (await server.Reporting(bank).SubmitIncidentAsync(Reports.Valid("firstbank"))).TrackingId;
        var seen = new List<string>();
        var own = await NextAsync(call.ResponseStream, e => { seen.Add(e.TrackingId); return e.TrackingId == banks; }, cancel.Token);

        Assert.Equal(WatchEventKind.Created, own.Kind);
        Assert.DoesNotContain(gridcos, seen);
        Assert.All(seen, id => Assert.NotEqual(gridcos, id));
    }

    [Fact]
    public async Task AFilteredWatcherSeesWhatEntersAndLeavesItsFilterAndNothingElse()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = server.Incidents().WatchIncidents(
            new WatchIncidentsRequest { Statuses = { IncidentStatus.Triaged }, Severities = { Severity.Critical } }, cancellationToken: cancel.Token);
        await SnapshotAsync(call.ResponseStream, cancel.Token);

        var outside = (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var inside = (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        await server.Incidents().TriageIncidentAsync(Accept(outside, Severity.Medium));
        await server.Incidents().TriageIncidentAsync(Accept(inside, Severity.Critical));
        var seen = new List<WatchIncidentsResponse>();
        await NextAsync(call.ResponseStream, e => { seen.Add(e); return e.TrackingId == inside; }, cancel.Token);
        // The stream tells the queue as it is at each look, four times a second: a change made and
        // undone between two looks is not told, so the next one waits until the first was seen.
        await server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest
        {
            TrackingId = inside, TargetStatus = IncidentStatus.Responding, Reason = "containment under way",
        });
        await NextAsync(call.ResponseStream, e => { seen.Add(e); return e.TrackingId == inside; }, cancel.Token);

        Assert.DoesNotContain(seen, e => e.TrackingId == outside);
        var mine = seen.Where(e => e.TrackingId == inside).ToArray();
        Assert.Equal([WatchEventKind.Entered, WatchEventKind.Left], mine.Select(e => e.Kind));
        Assert.Equal(IncidentStatus.Triaged, mine[0].Incident.Status);
        Assert.Equal(Severity.Critical, mine[0].Incident.Severity);
        Assert.Equal(IncidentStatus.Responding, mine[1].Incident.Status);
        Assert.True(mine[1].Version > mine[0].Version);
    }

    [Fact]
    public async Task AWatcherThatCancelsEndsItsStreamCleanlyAndFreesItsSlot()
    {
        var watchers = server.Services.GetRequiredService<IncidentWatchers>();
        var key = await server.IssueKeyAsync("watch-cancel", Role.Analyst);
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using (var call = server.Incidents(key).WatchIncidents(new WatchIncidentsRequest(), cancellationToken: cancel.Token))
        {
            await SnapshotAsync(call.ResponseStream, cancel.Token);
            Assert.False(watchers.IsEmpty);
            await cancel.CancelAsync();
            var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        }

        cancel.Dispose();
        // The server lets the stream go: its mailbox is closed (no other test of this class keeps one
        // open past its end) and the key may open streams again, more than its limit in a row.
        await Eventually.ReadAsync(() => Task.FromResult(watchers.IsEmpty), empty => empty, "the cancelled watch stayed subscribed");
        for (var i = 0; i < 12; i++)
        {
            using var again = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var call = server.Incidents(key).WatchIncidents(new WatchIncidentsRequest { SnapshotSize = 1 }, cancellationToken: again.Token);
            await SnapshotAsync(call.ResponseStream, again.Token);
            await again.CancelAsync();
        }
    }

    [Fact]
    public async Task AWatchWithABadFilterIsRefusedNamingTheField()
    {
        using var call = server.Incidents().WatchIncidents(new WatchIncidentsRequest { SnapshotSize = 501, SectorCode = "not a sector" });
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("snapshot_size", refused.Status.Detail);
        Assert.Contains("sector_code", refused.Status.Detail);
    }

    private static TriageIncidentRequest Accept(string trackingId, Severity severity) => new()
    {
        TrackingId = trackingId,
        Outcome = TriageOutcome.Accept,
        RsitClass = "malicious-code",
        RsitType = "infected-system",
        Severity = severity,
        Tlp = Tlp.Amber,
    };

    /// <summary>The snapshot: every event before CURRENT.</summary>
    private static async Task<IReadOnlyList<WatchIncidentsResponse>> SnapshotAsync(IAsyncStreamReader<WatchIncidentsResponse> stream, CancellationToken cancellationToken)
    {
        var snapshot = new List<WatchIncidentsResponse>();
        while (await stream.MoveNext(cancellationToken))
        {
            if (stream.Current.Kind == WatchEventKind.Current)
            {
                return snapshot;
            }

            Assert.Equal(WatchEventKind.Snapshot, stream.Current.Kind);
            snapshot.Add(stream.Current);
        }

        throw new InvalidOperationException("The watch ended before CURRENT.");
    }

    private static async Task<WatchIncidentsResponse> NextAsync(
        IAsyncStreamReader<WatchIncidentsResponse> stream, Func<WatchIncidentsResponse, bool> wanted, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken))
        {
            if (wanted(stream.Current))
            {
                return stream.Current;
            }
        }

        throw new InvalidOperationException("The watch ended.");
    }
}
