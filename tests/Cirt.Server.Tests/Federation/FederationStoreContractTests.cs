using Cirt.Grains.Partners;
using Cirt.Server.Federation;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// What every federation store must do, run against each adapter (the SQLite file of the embedded
/// profile and the cluster profile's PostgreSQL): the outbox queues once per item version, lists page
/// by page, gives sequence numbers once and in order; one dispatcher at a time holds a partner's
/// delivery claim, a lapsed claim passes on with a new fence, and writes under a lost claim change
/// nothing; inbound messages are stored once with their first receipt; refusals and egress page
/// newest first; a TAXII collection dates its messages once, in queue order.
/// </summary>
public abstract class FederationStoreContractTests
{
    protected static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The adapter under test, empty at the start of each test.</summary>
    protected abstract IFederationStore Store { get; }

    protected static NewOutboxMessage Message(string partner, string item, long version = 1, OutboxState state = OutboxState.Queued, string note = "",
        int minutes = 0) =>
        new(partner, SharedItemKind.Advisory, item, version, ShareAction.Publish, note, state, $$"""{"item":"{{item}}","v":{{version}}}""",
            "sha256:" + new string('a', 64), state == OutboxState.Held ? """[{"field":"summary"}]""" : "[]", At.AddMinutes(minutes), "analyst-1");

    [Fact]
    public async Task AskingTwiceToQueueTheSameItemVersionQueuesOnce()
    {
        var first = await Store.EnqueueAsync(Message("cirt-de", "ADV-1"));
        var again = await Store.EnqueueAsync(Message("cirt-de", "ADV-1") with { Payload = "{}" });
        var note = await Store.EnqueueAsync(Message("cirt-de", "ADV-1", note: "note-1"));
        var other = await Store.EnqueueAsync(Message("cirt-nl", "ADV-1"));

        Assert.Equal(first, again);
        Assert.Equal("""{"item":"ADV-1","v":1}""", again.Payload);
        Assert.Equal((OutboxState.Queued, 0L, 0, "analyst-1", At), (first.State, first.Sequence, first.Attempts, first.QueuedBy, first.QueuedAt));
        Assert.Equal(3, new[] { first.MessageId, note.MessageId, other.MessageId }.Distinct().Count());
        Assert.Equal(first, await Store.GetAsync(first.MessageId));
        Assert.Null(await Store.GetAsync(Guid.NewGuid().ToString("D")));
        var states = await Store.StatesAsync([first.MessageId, other.MessageId, "unknown"]);
        Assert.Equal(2, states.Count);
        Assert.Equal(OutboxState.Queued, states[other.MessageId]);
    }

    [Fact]
    public async Task TheOutboxIsListedNewestFirstPageByPageByPartnerAndState()
    {
        var queued = new List<OutboxEntry>();
        for (var i = 0; i < 5; i++)
        {
            queued.Add(await Store.EnqueueAsync(Message("cirt-de", $"ADV-{i}", minutes: i)));
        }

        var held = await Store.EnqueueAsync(Message("cirt-de", "ADV-held", state: OutboxState.Held));
        await Store.EnqueueAsync(Message("cirt-nl", "ADV-nl"));

        var seen = new List<OutboxEntry>();
        var before = 0L;
        var pages = 0;
        do
        {
            var page = await Store.ListOutboxAsync("cirt-de", OutboxState.Queued, 2, before);
            seen.AddRange(page.Items);
            before = page.NextBefore;
            pages++;
        }
        while (before != 0);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(queued).Select(m => m.MessageId), seen.Select(m => m.MessageId));
        Assert.Equal(7, (await Store.ListOutboxAsync(null, null, 50, 0)).Items.Count);
        Assert.Equal(held.MessageId, Assert.Single((await Store.ListOutboxAsync(null, OutboxState.Held, 50, 0)).Items).MessageId);
        Assert.Empty((await Store.ListOutboxAsync("cirt-xx", null, 50, 0)).Items);
        Assert.Equal(queued[0].MessageId, (await Store.NextQueuedAsync("cirt-de"))!.MessageId);
        Assert.Null(await Store.NextQueuedAsync("cirt-xx"));
        Assert.Equal(["cirt-de", "cirt-nl"], (await Store.PartnersWithQueuedAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SequenceNumbersAreGivenOnceAndInOrderPerPartner()
    {
        var first = await Store.EnqueueAsync(Message("cirt-de", "ADV-1"));
        var second = await Store.EnqueueAsync(Message("cirt-de", "ADV-2"));
        var elsewhere = await Store.EnqueueAsync(Message("cirt-nl", "ADV-1"));
        var de = await Store.ClaimDeliveryAsync("cirt-de", "silo-a", TimeSpan.FromMinutes(1));
        var nl = await Store.ClaimDeliveryAsync("cirt-nl", "silo-a", TimeSpan.FromMinutes(1));

        Assert.Equal(1, await Store.AssignSequenceAsync(de, first.MessageId));
        Assert.Equal(1, await Store.AssignSequenceAsync(de, first.MessageId));
        Assert.Equal(2, await Store.AssignSequenceAsync(de, second.MessageId));
        Assert.Equal(1, await Store.AssignSequenceAsync(nl, elsewhere.MessageId));
        Assert.Equal(2, (await Store.GetAsync(second.MessageId))!.Sequence);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AssignSequenceAsync(de, Guid.NewGuid().ToString("D")));
    }

    [Fact]
    public async Task OneDispatcherAtATimeHoldsAPartnersClaimUntilItIsReleasedOrLapses()
    {
        var lease = TimeSpan.FromMinutes(1);
        var a = await Store.ClaimDeliveryAsync("cirt-de", "silo-a", lease);
        var refused = await Store.ClaimDeliveryAsync("cirt-de", "silo-b", lease);
        var renewed = await Store.ClaimDeliveryAsync("cirt-de", "silo-a", lease);
        var elsewhere = await Store.ClaimDeliveryAsync("cirt-nl", "silo-b", lease);

        Assert.True(a.IsHeldBy("silo-a"));
        Assert.Equal(("silo-a", a.Fence), (refused.Holder, refused.Fence));
        Assert.False(refused.IsHeldBy("silo-b"));
        Assert.True(refused.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(30));
        Assert.Equal(a.Fence, renewed.Fence);
        Assert.True(elsewhere.IsHeldBy("silo-b"));

        await Store.ReleaseDeliveryAsync(renewed);
        var b = await Store.ClaimDeliveryAsync("cirt-de", "silo-b", TimeSpan.FromMilliseconds(300));
        Assert.True(b.IsHeldBy("silo-b"));
        Assert.Equal(a.Fence + 1, b.Fence);

        // silo-b stops renewing (it died): its claim lapses and silo-a takes the partner over.
        var takenOver = await Eventually.ReadAsync(() => Store.ClaimDeliveryAsync("cirt-de", "silo-a", lease), c => c.IsHeldBy("silo-a"),
            "silo-b's lapsed claim was never taken over");
        Assert.Equal(b.Fence + 1, takenOver.Fence);
    }

    [Fact]
    public async Task WritesUnderALostClaimChangeNothing()
    {
        var message = await Store.EnqueueAsync(Message("cirt-de", "ADV-1"));
        var stale = await Store.ClaimDeliveryAsync("cirt-de", "silo-a", TimeSpan.FromMilliseconds(300));
        var current = await Eventually.ReadAsync(() => Store.ClaimDeliveryAsync("cirt-de", "silo-b", TimeSpan.FromMinutes(1)), c => c.IsHeldBy("silo-b"),
            "silo-a's lapsed claim was never taken over");

        Assert.Null(await Store.AssignSequenceAsync(stale, message.MessageId));
        Assert.False(await Store.RecordFailedAttemptAsync(stale, message.MessageId, 1, "late", At, At.AddMinutes(1)));
        Assert.False(await Store.MarkFailedAsync(stale, message.MessageId, 1, "late", At));
        Assert.False(await Store.MarkDeliveredAsync(stale, message, 1, "{}", [1, 2], "key", At));
        Assert.False(await Store.MarkDeliveredAsync(current with { PartnerId = "cirt-nl" }, message, 1, "{}", [1, 2], "key", At));
        var untouched = (await Store.GetAsync(message.MessageId))!;
        Assert.Equal((OutboxState.Queued, 0L, 0, ""), (untouched.State, untouched.Sequence, untouched.Attempts, untouched.LastError));
        Assert.Empty((await Store.ListEgressAsync(null, 10, 0)).Items);

        Assert.Equal(1, await Store.AssignSequenceAsync(current, message.MessageId));
        Assert.True(await Store.MarkDeliveredAsync(current, message, 1, "{}", [1, 2], "key", At));
        Assert.False(await Store.MarkDeliveredAsync(current, message, 1, "{}", [1, 2], "key", At));
        Assert.Single((await Store.ListEgressAsync(null, 10, 0)).Items);
    }

    [Fact]
    public async Task ADeliveryIsRecordedWithItsReceiptInTheEgressAuditAndTheCounts()
    {
        var delivered = await Store.EnqueueAsync(Message("cirt-de", "ADV-1"));
        var failing = await Store.EnqueueAsync(Message("cirt-de", "ADV-2"));
        var refused = await Store.EnqueueAsync(Message("cirt-de", "ADV-3"));
        await Store.EnqueueAsync(Message("cirt-de", "ADV-4", state: OutboxState.Held));
        var claim = await Store.ClaimDeliveryAsync("cirt-de", "silo-a", TimeSpan.FromMinutes(1));

        Assert.True(await Store.MarkDeliveredAsync(claim, delivered, 2, """{"receipt":1}""", [9, 8, 7], "fingerprint", At.AddMinutes(5)));
        Assert.True(await Store.RecordFailedAttemptAsync(claim, failing.MessageId, 3, "UNAVAILABLE: down", At.AddMinutes(6), At.AddMinutes(7)));
        Assert.True(await Store.MarkFailedAsync(claim, refused.MessageId, 1, "PERMISSION_DENIED: no", At.AddMinutes(8)));

        var stored = (await Store.GetAsync(delivered.MessageId))!;
        Assert.Equal((OutboxState.Delivered, 2, """{"receipt":1}""", "fingerprint", At.AddMinutes(5)),
            (stored.State, stored.Attempts, stored.Receipt, stored.ReceiptKey, stored.DeliveredAt!.Value));
        Assert.Equal([9, 8, 7], stored.ReceiptSignature);
        var retried = (await Store.GetAsync(failing.MessageId))!;
        Assert.Equal((OutboxState.Queued, 3, "UNAVAILABLE: down", At.AddMinutes(7)), (retried.State, retried.Attempts, retried.LastError, retried.NextAttemptAt!.Value));
        var egress = Assert.Single((await Store.ListEgressAsync("cirt-de", 10, 0)).Items);
        Assert.Equal((delivered.MessageId, delivered.Payload, (long)delivered.Payload.Length, At.AddMinutes(5), "analyst-1"),
            (egress.MessageId, egress.Payload, egress.PayloadBytes, egress.SentAt, egress.QueuedBy));
        Assert.Empty((await Store.ListEgressAsync("cirt-nl", 10, 0)).Items);

        var counts = await Store.CountsAsync("cirt-de");
        Assert.Equal(new DeliveryCounts(1, 1, 1, 1, "PERMISSION_DENIED: no", At.AddMinutes(8), At.AddMinutes(5), At.AddMinutes(7)), counts);
        Assert.Equal(new DeliveryCounts(0, 0, 0, 0, "", null, null, null), await Store.CountsAsync("cirt-xx"));
    }

    [Fact]
    public async Task OnlyAHeldMessageIsApprovedOrDiscarded()
    {
        var approved = await Store.EnqueueAsync(Message("cirt-de", "ADV-1", state: OutboxState.Held));
        var discarded = await Store.EnqueueAsync(Message("cirt-de", "ADV-2", state: OutboxState.Held));
        var queued = await Store.EnqueueAsync(Message("cirt-de", "ADV-3"));

        Assert.True(await Store.ApproveAsync(approved.MessageId, "coordinator-1"));
        Assert.False(await Store.ApproveAsync(approved.MessageId, "coordinator-1"));
        Assert.True(await Store.DiscardAsync(discarded.MessageId, "Personal data", "coordinator-1"));
        Assert.False(await Store.ApproveAsync(discarded.MessageId, "coordinator-1"));
        Assert.False(await Store.DiscardAsync(queued.MessageId, "Personal data", "coordinator-1"));

        Assert.Equal((OutboxState.Queued, "coordinator-1"), ((await Store.GetAsync(approved.MessageId))!.State, (await Store.GetAsync(approved.MessageId))!.DecidedBy));
        var gone = (await Store.GetAsync(discarded.MessageId))!;
        Assert.Equal((OutboxState.Discarded, "Personal data"), (gone.State, gone.DiscardReason));
    }

    [Fact]
    public async Task AnInboundMessageIsStoredOnceWithItsFirstReceipt()
    {
        var id = Guid.NewGuid().ToString("D");
        var first = new InboundReceipt(id, 4, "sha256:" + new string('b', 64), """{"first":true}""", [1, 1], "key-1");
        var second = first with { Receipt = """{"first":false}""", Signature = [2, 2] };

        Assert.Equal(0, await Store.LastInboundSequenceAsync("cirt-de"));
        Assert.Null(await Store.FindInboundAsync("cirt-de", id));
        var stored = await Store.RecordInboundAsync("cirt-de", first, At);
        var again = await Store.RecordInboundAsync("cirt-de", second, At.AddSeconds(1));
        await Store.RecordInboundAsync("cirt-de", new InboundReceipt(Guid.NewGuid().ToString("D"), 2, first.PayloadDigest, "{}", [3], "key-1"), At);

        Assert.Equal(first.Receipt, stored.Receipt);
        Assert.Equal(first.Receipt, again.Receipt);
        Assert.Equal(first.Signature, again.Signature);
        Assert.Equal(first.Receipt, (await Store.FindInboundAsync("cirt-de", id))!.Receipt);
        Assert.Null(await Store.FindInboundAsync("cirt-nl", id));
        Assert.Equal([4L, 2L], (await Store.InboundOfAsync("cirt-de")).Select(r => r.Sequence));
        // The last sequence never goes back.
        Assert.Equal(4, await Store.LastInboundSequenceAsync("cirt-de"));
    }

    [Fact]
    public async Task RefusalsAreListedNewestFirstPageByPage()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.RecordRefusalAsync(new InboundRefusalEntry(0, At.AddMinutes(i), "cirt-de", "cirt-de", $"m{i}", "PERMISSION_DENIED", $"reason {i}"));
        }

        var seen = new List<InboundRefusalEntry>();
        var before = 0L;
        do
        {
            var page = await Store.ListRefusalsAsync(2, before);
            seen.AddRange(page.Items);
            before = page.NextBefore;
        }
        while (before != 0);

        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], seen.Select(r => r.MessageId));
        Assert.Equal((At.AddMinutes(4), "reason 4", "PERMISSION_DENIED"), (seen[0].At, seen[0].Reason, seen[0].Status));
    }

    [Fact]
    public async Task ATaxiiCollectionDatesItsMessagesOnceInQueueOrderAndNeverBeforeADateGiven()
    {
        var first = await Store.EnqueueAsync(Message("cirt-de", "ADV-1", minutes: 0));
        var second = await Store.EnqueueAsync(Message("cirt-de", "ADV-2", minutes: 0));
        var held = await Store.EnqueueAsync(Message("cirt-de", "ADV-3", state: OutboxState.Held, minutes: 1));
        await Store.EnqueueAsync(Message("cirt-nl", "ADV-1"));

        var collection = await Store.CollectionAsync("cirt-de", At.AddHours(1));
        Assert.Equal([first.MessageId, second.MessageId], collection.Select(e => e.MessageId));
        Assert.Equal(At, collection[0].DateAdded);
        Assert.Equal(At.AddTicks(10), collection[1].DateAdded);
        Assert.Equal(("ADV-2", 1L, SharedItemKind.Advisory, ShareAction.Publish, At), (collection[1].ItemId, collection[1].ItemVersion, collection[1].Kind,
            collection[1].Action, collection[1].QueuedAt));

        await Store.ApproveAsync(held.MessageId, "coordinator-1");
        var later = await Store.CollectionAsync("cirt-de", At.AddHours(2));
        Assert.Equal(collection, later.Take(2));
        Assert.Equal((held.MessageId, At.AddHours(2)), (later[2].MessageId, later[2].DateAdded));
        Assert.Equal(first.Payload, (await Store.PayloadsAsync([first.MessageId, "unknown"]))[first.MessageId]);
        Assert.Single(await Store.PayloadsAsync([first.MessageId, "unknown"]));

        Assert.Equal([first.MessageId], await Store.RecordServedAsync("cirt-de", "key-1", [first.MessageId], At.AddHours(3)));
        Assert.Equal([second.MessageId], await Store.RecordServedAsync("cirt-de", "key-2", [first.MessageId, second.MessageId], At.AddHours(4)));
        Assert.Empty(await Store.RecordServedAsync("cirt-de", "key-1", [first.MessageId, second.MessageId], At.AddHours(5)));
    }
}
