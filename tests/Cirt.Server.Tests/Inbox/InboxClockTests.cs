using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Inbox;

/// <summary>
/// What time alone changes reaches the inbox without anyone writing: a deadline coming within a
/// day of its due time, a deadline or task passing it. A server of its own, whose business clock
/// the test moves.
/// </summary>
public sealed class InboxClockTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ServerFixture _server;

    public InboxClockTests()
    {
        _server = new ServerFixture { Clock = _clock };
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task DeadlinesComingDueAndTasksFallingOverdueArePushedAsTimePasses()
    {
        var id = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true))).TrackingId;
        await _server.Incidents().AddTaskAsync(new AddTaskRequest
        {
            TrackingId = id, Title = "Rotate the VPN credentials", AssigneeStakeholderId = "gridco", DueAt = Timestamp.FromDateTimeOffset(Start.AddHours(30)),
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var operatorCall = new InboxService.InboxServiceClient(_server.Invoker(_server.GridcoKey)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        using var staffCall = new InboxService.InboxServiceClient(_server.Invoker(_server.AnalystKey)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
        var atOpen = await UntilLiveAsync(operatorCall.ResponseStream, cancel.Token);
        var staffAtOpen = await UntilLiveAsync(staffCall.ResponseStream, cancel.Token);

        // The notification is due in 72 h: not yet in the inbox. The task is open, not overdue; nothing is overdue for staff.
        Assert.DoesNotContain(atOpen, i => i.Kind == InboxItemKind.Deadline && i.Summary.StartsWith("incident notification", StringComparison.Ordinal));
        Assert.False(Assert.Single(atOpen, i => i.Kind == InboxItemKind.Task && i.TrackingId == id).Overdue);
        Assert.DoesNotContain(staffAtOpen, i => i.TrackingId == id);

        // Once a change made now has reached the stream, the feed has seen every earlier write: what
        // follows the move of the clock can only come from the passing of time.
        await _server.Incidents().AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Marker", AssigneeStakeholderId = "gridco" });
        await NextAsync(operatorCall.ResponseStream, i => i.Kind == InboxItemKind.Task && i.Summary.EndsWith("Marker", StringComparison.Ordinal), cancel.Token);
        _skipped.Clear();
        _clock.Advance(TimeSpan.FromHours(49));

        var notification = await NextAsync(operatorCall.ResponseStream, i => i.Kind == InboxItemKind.Deadline && i.Summary.StartsWith("incident notification", StringComparison.Ordinal), cancel.Token);
        Assert.Equal(id, notification.TrackingId);
        Assert.False(notification.Overdue);
        var task = await NextAsync(operatorCall.ResponseStream, i => i.Kind == InboxItemKind.Task && i.Summary.EndsWith("Rotate the VPN credentials", StringComparison.Ordinal), cancel.Token);
        Assert.True(task.Overdue);
        var triage = await NextAsync(staffCall.ResponseStream, i => i.Kind == InboxItemKind.Deadline && i.TrackingId == id, cancel.Token);
        Assert.True(triage.Overdue);
        Assert.StartsWith("triage of " + id, triage.Summary);
    }

    private static async Task<List<InboxItem>> UntilLiveAsync(IAsyncStreamReader<FollowInboxResponse> stream, CancellationToken cancellationToken)
    {
        var items = new List<InboxItem>();
        while (await stream.MoveNext(cancellationToken) && stream.Current.Item.Kind != InboxItemKind.Live)
        {
            items.Add(stream.Current.Item);
        }

        return items;
    }

    // Items a stream brought before the one waited for: they may come in any order, so each is kept for its own wait.
    private readonly Dictionary<IAsyncStreamReader<FollowInboxResponse>, List<InboxItem>> _skipped = [];

    private async Task<InboxItem> NextAsync(IAsyncStreamReader<FollowInboxResponse> stream, Func<InboxItem, bool> wanted, CancellationToken cancellationToken)
    {
        if (!_skipped.TryGetValue(stream, out var skipped))
        {
            _skipped[stream] = skipped = [];
        }

        if (skipped.FirstOrDefault(wanted) is { } earlier)
        {
            skipped.Remove(earlier);
            return earlier;
        }

        while (await stream.MoveNext(cancellationToken))
        {
            if (wanted(stream.Current.Item))
            {
                return stream.Current.Item;
            }

            skipped.Add(stream.Current.Item);
        }

        throw new InvalidOperationException("The inbox stream ended.");
    }
}
