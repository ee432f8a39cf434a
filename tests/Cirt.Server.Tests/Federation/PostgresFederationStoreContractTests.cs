using Cirt.Server.Federation;
using Cirt.Server.Storage;
using Cirt.Tests;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// The federation store contract on PostgreSQL (a database of its own per test), and what only a
/// store shared by several silos shows: of many dispatchers claiming a partner at once exactly one
/// gets it, and one delivery taken by several silos at once is stored once, every silo answering
/// the same receipt.
/// </summary>
public sealed class PostgresFederationStoreContractTests : FederationStoreContractTests, IAsyncLifetime
{
    private ClusterServices.TestDatabase? _database;
    private PostgresDatabase? _postgres;
    private PostgresFederationStore? _store;

    protected override IFederationStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await ClusterServices.CreateDatabaseAsync("cirtfed");
        _postgres = PostgresDatabase.Open(_database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
        _store = new PostgresFederationStore(_postgres);
    }

    public async Task DisposeAsync()
    {
        _postgres?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task OfManyDispatchersClaimingAPartnerAtOnceExactlyOneGetsIt()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => Store.ClaimDeliveryAsync("cirt-de", $"silo-{i}", TimeSpan.FromMinutes(1)))));

        var granted = Assert.Single(Enumerable.Range(0, 16), i => claims[i].IsHeldBy($"silo-{i}"));
        Assert.All(claims, c => Assert.Equal(($"silo-{granted}", 1L), (c.Holder, c.Fence)));
    }

    [Fact]
    public async Task OneDeliveryTakenBySeveralSilosAtOnceIsStoredOnceAndAnsweredWithOneReceipt()
    {
        var id = Guid.NewGuid().ToString("D");
        var receipts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.RecordInboundAsync("cirt-de",
            new InboundReceipt(id, 1, "sha256:" + new string('c', 64), $$"""{"silo":{{i}}}""", [(byte)i], "key"), DateTimeOffset.UtcNow))));

        Assert.Single(receipts.Select(r => r.Receipt).Distinct());
        var stored = Assert.Single(await Store.InboundOfAsync("cirt-de"));
        Assert.Equal(receipts[0].Receipt, stored.Receipt);
    }

    [Fact]
    public void ApplyingTheSchemaAgainChangesNothing()
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "sql", "postgresql");
        _postgres!.Migrate(scripts);

        var applied = Directory.GetFiles(scripts, "400-*.sql", SearchOption.AllDirectories);
        Assert.NotEmpty(applied);
        foreach (var script in applied)
        {
            // Each script is written to be harmless when run again, not only recorded as applied.
            using var connection = _postgres.DataSource.OpenConnection();
            using var command = new Npgsql.NpgsqlCommand(File.ReadAllText(script), connection);
            command.ExecuteNonQuery();
        }
    }
}
