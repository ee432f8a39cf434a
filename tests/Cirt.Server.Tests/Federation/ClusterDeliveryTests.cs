using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Cirt.Server.Storage;
using Cirt.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// The outbox in a cluster: every silo runs an <see cref="OutboxDispatcher"/> over the one PostgreSQL
/// store. Here two dispatchers, each with a connection pool of its own as two silos have, deliver to a
/// partner endpoint on loopback: each message reaches it exactly once and in queue order, whichever
/// silo is woken; and a partner claimed by a silo that died is taken over once the claim lapses.
/// </summary>
public sealed class ClusterDeliveryTests : IAsyncLifetime
{
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "sql", "postgresql");

    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly List<IDisposable> _silos = [];
    private ClusterServices.TestDatabase? _database;
    private FakePartnerEndpoint? _partner;
    private FederationIdentity? _us;

    private FakePartnerEndpoint Partner => _partner!;

    public async Task InitializeAsync()
    {
        _database = await ClusterServices.CreateDatabaseAsync("cirtdeliver");
        _partner = await FakePartnerEndpoint.StartAsync("cirt-de");
        _us = FederationIdentity.CreateInMemory(new FederationOptions { InstanceId = "cirt-fr", Country = "FR" });
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_cleanup))
        {
            await disposable.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _us?.Dispose();
        if (_partner is not null)
        {
            await _partner.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoSilosDeliverEachMessageExactlyOnceInQueueOrder()
    {
        var (storeA, dispatcherA) = await SiloAsync();
        var (storeB, dispatcherB) = await SiloAsync();
        const int Messages = 40;
        var queued = new List<string>();
        for (var i = 0; i < Messages; i++)
        {
            // Messages are queued through either silo, and each wakes its own dispatcher, as ShareQueue does.
            var (store, dispatcher) = i % 2 == 0 ? (storeA, dispatcherA) : (storeB, dispatcherB);
            queued.Add((await store.EnqueueAsync(Message($"ADV-{i}"))).MessageId);
            dispatcher.Wake(Partner.Identity.InstanceId);
        }

        var delivered = await Eventually.ReadAsync(() => storeA.ListOutboxAsync(Partner.Identity.InstanceId, OutboxState.Delivered, 100, 0),
            page => page.Items.Count == Messages, $"not all {Messages} messages were delivered");

        Assert.Equal(queued, Partner.Calls.Select(c => c.MessageId));
        Assert.Equal(Enumerable.Range(1, Messages).Select(i => (long)i), Partner.Calls.Select(c => c.Sequence));
        Assert.Equal(Messages, Partner.Accepted.Count);
        Assert.All(delivered.Items, m => Assert.Equal(1, m.Attempts));
        Assert.Equal(Messages, (await storeB.ListEgressAsync(Partner.Identity.InstanceId, 100, 0)).Items.Count);
    }

    [Fact]
    public async Task APartnerClaimedByASiloThatDiedIsTakenOverOnceTheClaimLapses()
    {
        var (store, _) = await SiloAsync(start: false);
        var first = await store.EnqueueAsync(Message("ADV-1"));
        var second = await store.EnqueueAsync(Message("ADV-2"));
        // A silo killed in the middle of a delivery: it held the partner's claim and had given the
        // first message its sequence number (it may have sent it), then nothing more.
        var dead = await store.ClaimDeliveryAsync(Partner.Identity.InstanceId, "killed-silo", TimeSpan.FromSeconds(2));
        Assert.Equal(1, await store.AssignSequenceAsync(dead, first.MessageId));

        var (survivor, dispatcher) = await SiloAsync();
        dispatcher.Wake(Partner.Identity.InstanceId);

        await Eventually.ReadAsync(() => survivor.ListOutboxAsync(Partner.Identity.InstanceId, OutboxState.Delivered, 10, 0),
            page => page.Items.Count == 2, "the survivor never delivered the dead silo's partner");
        // The survivor took the claim over (a new fence) and gave it up once nothing was left (so
        // another claimant gets it at once, with the fence after).
        var after = await survivor.ClaimDeliveryAsync(Partner.Identity.InstanceId, "observer", TimeSpan.FromSeconds(1));
        Assert.True(after.IsHeldBy("observer"));
        Assert.Equal(dead.Fence + 2, after.Fence);
        // Nothing went out while the dead silo's claim ran, and the first message kept its number.
        Assert.Equal([(first.MessageId, 1L), (second.MessageId, 2L)], Partner.Accepted);
        Assert.True((await survivor.GetAsync(first.MessageId))!.DeliveredAt >= dead.ExpiresAt.AddMilliseconds(-50));
        Assert.False(await store.MarkDeliveredAsync(dead, first, 1, "{}", [1], "key", DateTimeOffset.UtcNow));
    }

    /// <summary>One silo's share of the cluster: a store over the database with its own pool, and its dispatcher (started unless told).</summary>
    private async Task<(IFederationStore Store, OutboxDispatcher Dispatcher)> SiloAsync(bool start = true)
    {
        var postgres = PostgresDatabase.Open(_database!.ConnectionString, Scripts);
        _silos.Add(postgres);
        var store = new PostgresFederationStore(postgres);
        var delivery = new DeliveryOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(5), RetryDelay = TimeSpan.FromMilliseconds(50), RequeueDelay = TimeSpan.FromMilliseconds(100),
            SweepInterval = TimeSpan.FromMilliseconds(300), ClaimLease = TimeSpan.FromSeconds(2),
        };
        var dispatcher = new OutboxDispatcher(PartnerGrains.Of(Partner.Registration(DateTimeOffset.UtcNow.AddDays(-1))), store, _us!,
            Options.Create(new FederationOptions { InstanceId = "cirt-fr", Country = "FR" }), Options.Create(delivery), NullLoggerFactory.Instance);
        if (start)
        {
            await dispatcher.StartAsync(CancellationToken.None);
            _cleanup.Add(new Stopping(dispatcher));
        }

        return (store, dispatcher);
    }

    private NewOutboxMessage Message(string item) => new(Partner.Identity.InstanceId, SharedItemKind.Advisory, item, 1, ShareAction.Publish, "",
        OutboxState.Queued, $$"""{"item":"{{item}}"}""", "sha256:" + new string('d', 64), "[]", DateTimeOffset.UtcNow, "analyst-1");

    private sealed class Stopping(OutboxDispatcher dispatcher) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }
    }
}
